"""/api/v1/orgs/{org}/teams/, people/ and allocations/: thin views over `resources.services`.

Every member reads; admins write teams and people; leads write their team's allocations,
executives and admins any allocation (the rule table decides, the services check it again).
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_view
from rest_framework import filters

from execgap.api.base import OrgRowViewSet, RowServices
from execgap.api.org_schema import org_rows_schema
from execgap.roles import Resource
from resources import services
from resources.api.filters import AllocationFilter, PersonFilter, TeamFilter
from resources.api.serializers import AllocationSerializer, PersonSerializer, TeamSerializer
from resources.models import Allocation, Person, Team

ADMINS_WRITE = "Admins only."


class _SearchableViewSet(OrgRowViewSet):
    filter_backends = [DjangoFilterBackend, filters.SearchFilter]


@extend_schema_view(
    **org_rows_schema(TeamSerializer, tag="teams", noun="team", plural="teams", who_writes=ADMINS_WRITE)
)
class TeamViewSet(_SearchableViewSet):
    """Teams; `?search=` matches names."""

    resource = Resource.TEAM
    model = Team
    queryset = Team.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    row_services = RowServices(
        row="team",
        create=services.team_create,
        update=services.team_update,
        delete=services.team_delete,
    )
    search_fields = ["name"]


@extend_schema_view(
    **org_rows_schema(PersonSerializer, tag="people", noun="person", plural="people", who_writes=ADMINS_WRITE)
)
class PersonViewSet(_SearchableViewSet):
    """People; `?search=` matches names and emails."""

    resource = Resource.PERSON
    model = Person
    queryset = Person.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    row_services = RowServices(
        row="person",
        create=services.person_create,
        update=services.person_update,
        delete=services.person_delete,
    )
    search_fields = ["name", "email"]


@extend_schema_view(
    **org_rows_schema(
        AllocationSerializer,
        tag="allocations",
        noun="allocation",
        plural="allocations",
        who_writes="Leads for their team's initiatives; executives and admins for any.",
    )
)
class AllocationViewSet(OrgRowViewSet):
    """Allocations of people's weekly hours to initiatives (plan history: writes take a `reason`)."""

    resource = Resource.ALLOCATION
    model = Allocation
    queryset = Allocation.objects.none()  # the schema's model; requests read get_queryset()
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    row_services = RowServices(
        row="allocation",
        create=services.allocation_create,
        update=services.allocation_update,
        delete=services.allocation_delete,
    )
