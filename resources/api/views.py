"""/api/v1/orgs/{org}/teams/, people/ and allocations/: thin views over `resources.services`.

Every member reads; admins write teams and people; leads write their team's allocations,
executives and admins any allocation (the rule table decides, the services check it again).
"""

from __future__ import annotations

from typing import Any, cast

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_view
from rest_framework import filters
from rest_framework.serializers import BaseSerializer

from execgap.api.base import OrgRowViewSet
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
    search_fields = ["name"]

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = services.team_create(actor=self.membership, data=serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = services.team_update(
            actor=self.membership,
            team=cast(Team, serializer.instance),
            data=serializer.validated_data,
            expected_version=self.expected_version(),
        )

    def perform_destroy(self, instance: Team) -> None:
        services.team_delete(actor=self.membership, team=instance, expected_version=self.expected_version())


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
    search_fields = ["name", "email"]

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = services.person_create(actor=self.membership, data=serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        serializer.instance = services.person_update(
            actor=self.membership,
            person=cast(Person, serializer.instance),
            data=serializer.validated_data,
            expected_version=self.expected_version(),
        )

    def perform_destroy(self, instance: Person) -> None:
        services.person_delete(
            actor=self.membership, person=instance, expected_version=self.expected_version()
        )


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

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        reason = self.pop_reason(data)
        serializer.instance = services.allocation_create(actor=self.membership, data=data, reason=reason)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        reason = self.pop_reason(data)
        serializer.instance = services.allocation_update(
            actor=self.membership,
            allocation=cast(Allocation, serializer.instance),
            data=data,
            expected_version=self.expected_version(),
            reason=reason,
        )

    def perform_destroy(self, instance: Allocation) -> None:
        services.allocation_delete(
            actor=self.membership, allocation=instance, expected_version=self.expected_version()
        )
