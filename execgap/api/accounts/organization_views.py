"""/api/v1/orgs/, /api/v1/orgs/{org}/ and /api/v1/orgs/{org}/memberships/: thin views over
`execgap.services`.

Any signed-in user lists the organizations they belong to and creates new ones (becoming their
admin). Every member reads their organization; admins change its name and scoring parameters and
manage its memberships. A caller who is not a member gets 404 for everything under
/api/v1/orgs/{org}/.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from django.db import IntegrityError
from django.db.models import OuterRef, QuerySet, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from execgap import services
from execgap.api.accounts.serializers import (
    SLUG_TAKEN,
    MembershipCreateSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
)
from execgap.api.base import OrgRowViewSet
from execgap.api.org_schema import (
    ETAG_HEADER,
    IF_MATCH_PARAMETER,
    ORG_PARAMETER,
    ErrorDetailSerializer,
    errors,
)
from execgap.api.pagination import StablePagination
from execgap.api.schema import RETRY_AFTER_HEADER, too_many_requests
from execgap.models import Membership, Organization, Role
from execgap.roles import Resource

security_log = logging.getLogger("execgap.security")

TOO_MANY = {429: too_many_requests(ErrorDetailSerializer)}
MEMBERSHIP_PARAMETER = OpenApiParameter(
    "id", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH, description="The membership's id."
)


def organizations_of(user: Any) -> QuerySet[Organization]:
    """The organizations `user` belongs to, each with `role`: the user's role in it."""
    role = Membership.objects.filter(organization=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    return Organization.objects.filter(memberships__user_id=user.pk).annotate(role=Subquery(role))


def _with_role(organization: Organization, role: str) -> Organization:
    organization.role = role  # type: ignore[attr-defined]  # read by OrganizationSerializer
    return organization


@extend_schema_view(
    list=extend_schema(
        tags=["organizations"],
        summary="List your organizations",
        description="The organizations the caller belongs to, with the caller's role in each, by id.",
        parameters=[RETRY_AFTER_HEADER],
        responses={200: OrganizationSerializer(many=True), **errors(400, 401), **TOO_MANY},
    ),
    create=extend_schema(
        tags=["organizations"],
        summary="Create an organization",
        description="A new organization with default scoring parameters; the caller becomes its admin.",
        parameters=[RETRY_AFTER_HEADER],
        request=OrganizationCreateSerializer,
        responses={201: OrganizationSerializer, **errors(400, 401), **TOO_MANY},
    ),
)
class OrganizationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[Any]):
    serializer_class = OrganizationSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = StablePagination
    queryset = Organization.objects.none()  # the schema's model; requests read get_queryset()

    def get_queryset(self) -> QuerySet[Organization]:
        return organizations_of(self.request.user)

    def get_serializer_class(self) -> Any:
        return OrganizationCreateSerializer if self.action == "create" else OrganizationSerializer

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            organization = services.organization_create(user=request.user, **serializer.validated_data)
        except IntegrityError as error:  # taken between the check and the write
            raise ValidationError({"slug": [SLUG_TAKEN]}) from error
        security_log.info(
            "Organization created: %s by user=%s username=%r",
            organization.slug, request.user.pk, request.user.get_username(),
        )  # fmt: skip
        data = OrganizationSerializer(_with_role(organization, Role.ADMIN)).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": f'"{organization.version}"'})


@extend_schema_view(
    retrieve=extend_schema(
        tags=["organizations"],
        summary="Read an organization",
        description="Its name, scoring parameters (SCORING.md) and the caller's role. Every member reads.",
        parameters=[ORG_PARAMETER, ETAG_HEADER, RETRY_AFTER_HEADER],
        responses={200: OrganizationSerializer, **errors(401, 404), **TOO_MANY},
    ),
    partial_update=extend_schema(
        tags=["organizations"],
        summary="Change an organization's name or scoring parameters",
        description=(
            "Admins only. The window, horizon and cadence are whole days, at least 1; the default "
            "task effort is hours, not negative. A changed parameter marks the scores stale."
        ),
        parameters=[ORG_PARAMETER, IF_MATCH_PARAMETER, ETAG_HEADER, RETRY_AFTER_HEADER],
        request=OrganizationSerializer,
        responses={200: OrganizationSerializer, **errors(400, 401, 403, 404, 412), **TOO_MANY},
    ),
)
class OrganizationDetailViewSet(OrgRowViewSet):
    """The caller's organization named by `{org}`: read it, and (admins) change its settings."""

    resource = Resource.ORGANIZATION
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.none()  # the schema's model; requests read get_object()
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no organization
            return Organization.objects.none()
        return Organization.objects.filter(pk=self.organization.pk)

    def get_object(self) -> Organization:
        organization = self.organization
        self.check_object_permissions(self.request, organization)
        return _with_role(organization, self.membership.role)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        organization = services.organization_update(
            actor=self.membership, data=serializer.validated_data, expected_version=self.expected_version()
        )
        serializer.instance = _with_role(organization, self.membership.role)


ADMINS_ONLY = "Admins only."


@extend_schema_view(
    list=extend_schema(
        tags=["memberships"],
        summary="List the memberships",
        description=f"The organization's members and their roles, by id. {ADMINS_ONLY}",
        parameters=[ORG_PARAMETER, RETRY_AFTER_HEADER],
        responses={200: MembershipSerializer(many=True), **errors(400, 401, 403, 404), **TOO_MANY},
    ),
    retrieve=extend_schema(
        tags=["memberships"],
        summary="Read a membership",
        description=ADMINS_ONLY,
        parameters=[ORG_PARAMETER, MEMBERSHIP_PARAMETER, RETRY_AFTER_HEADER],
        responses={200: MembershipSerializer, **errors(401, 403, 404), **TOO_MANY},
    ),
    create=extend_schema(
        tags=["memberships"],
        summary="Add a member",
        description=f"Adds an existing user, named by username or email, with a role. {ADMINS_ONLY}",
        parameters=[ORG_PARAMETER, RETRY_AFTER_HEADER],
        request=MembershipCreateSerializer,
        responses={201: MembershipSerializer, **errors(400, 401, 403, 404), **TOO_MANY},
    ),
    partial_update=extend_schema(
        tags=["memberships"],
        summary="Change a member's role",
        description=f"The organization's last admin cannot be demoted (400). {ADMINS_ONLY}",
        parameters=[ORG_PARAMETER, MEMBERSHIP_PARAMETER, RETRY_AFTER_HEADER],
        request=MembershipUpdateSerializer,
        responses={200: MembershipSerializer, **errors(400, 401, 403, 404), **TOO_MANY},
    ),
    destroy=extend_schema(
        tags=["memberships"],
        summary="Remove a member",
        description=(
            "The user loses access to the organization at once, their API tokens too. The "
            f"organization's last admin cannot be removed (400). {ADMINS_ONLY}"
        ),
        parameters=[ORG_PARAMETER, MEMBERSHIP_PARAMETER, RETRY_AFTER_HEADER],
        responses={204: None, **errors(400, 401, 403, 404), **TOO_MANY},
    ),
)
class MembershipViewSet(OrgRowViewSet):
    """Who belongs to the organization, with which role (admins only, by the rule table)."""

    resource = Resource.MEMBERSHIP
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # the schema's model; requests read get_queryset()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no organization
            return Membership.objects.none()
        return (
            Membership.objects.filter(organization_id=self.organization.pk)
            .select_related("user")
            .order_by("id")
        )

    def get_serializer_class(self) -> Any:
        return {
            "create": MembershipCreateSerializer,
            "partial_update": MembershipUpdateSerializer,
        }.get(self.action or "", MembershipSerializer)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_create(actor=self.membership, **serializer.validated_data)
        self._log("added", membership)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        row = cast(Membership, self.get_object())
        serializer = self.get_serializer(row, data=request.data)
        serializer.is_valid(raise_exception=True)
        before = row.role
        row = services.membership_update(
            actor=self.membership, membership=row, role=serializer.validated_data["role"]
        )
        if row.role != before:
            self._log(f"role changed from {before}", row)
        return Response(MembershipSerializer(row).data)

    def perform_destroy(self, instance: Membership) -> None:
        services.membership_delete(actor=self.membership, membership=instance)
        self._log("removed", instance)

    def _log(self, what: str, membership: Membership) -> None:
        security_log.info(
            "Membership %s: organization=%s user=%s username=%r role=%s by user=%s",
            what, self.organization.slug, membership.user_id, membership.user.get_username(), membership.role,
            self.request.user.pk,
        )  # fmt: skip
