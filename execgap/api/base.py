"""The base of every organization-scoped endpoint under /api/v1/orgs/{org}/.

- The organization and the caller's membership are resolved once per request from the `{org}`
  slug; a caller who is not a member gets 404 (an organization's existence is never revealed).
- `RolePermission` asks the rule table (`execgap.roles`) what the caller's role may do; the
  services check it again on the row, so every way in enforces the same rules.
- Writes call the app's services (the one way in): views override `perform_create`,
  `perform_update` and `perform_destroy` and never call `serializer.save()`.
- Updates and deletes honour `If-Match` with the row's `version`, which responses send as `ETag`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from execgap.history import REASON_MAX_LENGTH
from execgap.models import Membership, Organization
from execgap.roles import Action, Resource, is_allowed, noun, scope_of
from execgap.tenancy import OrgOwnedModel

_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')

_METHOD_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.CREATE,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


class OrgScopedMixin(APIView):
    """Resolves `{org}` to the caller's membership (404 when the caller is not a member)."""

    membership: Membership

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self.perform_authentication(request)
        if request.user.is_authenticated:  # the anonymous are refused by the permission check below
            membership = (
                Membership.objects.select_related("organization", "user")
                .filter(user_id=request.user.pk, organization__slug=kwargs.get("org"))
                .first()
            )
            if membership is None:
                raise exceptions.NotFound("No such organization.")
            self.membership = membership
        super().initial(request, *args, **kwargs)

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["organization"] = getattr(self, "membership", None) and self.organization
        return context


class RolePermission(permissions.BasePermission):
    """The rule table, for the view's `resource` and the request's action (`role_action` overrides)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        action = self._action(request, view)
        if scope_of(view.membership, view.resource, action) is None:
            what = noun(view.resource, plural=True)
            self.message = f"Your role ({view.membership.role}) may not {action.value} {what}."
            return False
        return True

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        action = self._action(request, view)
        if not is_allowed(view.membership, view.resource, action, obj):
            self.message = (
                f"Your role ({view.membership.role}) may not {action.value} this {noun(view.resource)}."
            )
            return False
        return True

    @staticmethod
    def _action(request: Request, view: Any) -> Action:
        explicit = getattr(view, "role_actions", {}).get(getattr(view, "action", None))
        return explicit or _METHOD_ACTIONS[request.method or "GET"]


class OrgRowSerializer(serializers.ModelSerializer[Any]):
    """A row of the organization: every link accepts only ids of rows of the same organization.

    A link to another organization's row is refused with the same message as an id that does not
    exist, so its existence is never revealed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.context.get("organization")
        for field in self.fields.values():
            related = getattr(field, "queryset", None)
            if related is not None and issubclass(related.model, OrgOwnedModel):
                field.queryset = (  # type: ignore[attr-defined]
                    related.model.objects.for_org(organization) if organization else related.none()
                )


class PlanRowSerializer(OrgRowSerializer):
    """A row of the plan (its changes are kept in the plan history with an optional reason)."""

    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=REASON_MAX_LENGTH,
        help_text="Why this change is made; kept in the plan history.",
    )  # fmt: skip


@dataclass(frozen=True)
class RowServices:
    """The services through which a viewset writes its rows (the one way in for every change).

    `row` is the keyword the update and delete services take the row by (`objective=`, `item=`, ...).
    A resource that is never changed (recognitions) has no `update`.
    """

    row: str
    create: Callable[..., Any]
    delete: Callable[..., Any]
    update: Callable[..., Any] | None = None


class OrgRowViewSet(OrgScopedMixin, viewsets.ModelViewSet[Any]):
    """CRUD over one organization-owned model through its `row_services`.

    A serializer with a `reason` field (plan rows) hands it to the create and update services.
    """

    resource: ClassVar[Resource]
    model: ClassVar[type[OrgOwnedModel]]
    row_services: ClassVar[RowServices]
    related: ClassVar[tuple[str, ...]] = ()
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no organization
            return self.model.objects.none()
        rows = self.model.objects.for_org(self.organization).order_by("id")
        return rows.select_related(*self.related) if self.related else rows

    def check_permissions(self, request: Request) -> None:
        # An operation the endpoint does not have is 405 for every role, not "your role may not".
        if (request.method or "").lower() not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method or "")
        super().check_permissions(request)

    def expected_version(self) -> int | None:
        """The version the client last read (`If-Match`), or None when it sent none (or `*`)."""
        header = self.request.headers.get("If-Match")
        if header is None or header.strip() == "*":
            return None
        match = _IF_MATCH.match(header)
        if match is None:
            raise exceptions.ValidationError({"If-Match": ["Send the row's version, as its ETag gives it."]})
        return int(match.group(1))

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        row = self.row_services.create(actor=self.membership, data=data, **self._reason(serializer, data))
        serializer.instance = self.read_back(row)

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        if self.row_services.update is None:  # not routed: http_method_names leaves out PUT and PATCH
            raise exceptions.MethodNotAllowed(self.request.method or "")
        data = dict(serializer.validated_data)
        row = self.row_services.update(
            actor=self.membership,
            data=data,
            expected_version=self.expected_version(),
            **{self.row_services.row: serializer.instance},
            **self._reason(serializer, data),
        )
        serializer.instance = self.read_back(row)

    def perform_destroy(self, instance: Any) -> None:
        self.row_services.delete(
            actor=self.membership,
            expected_version=self.expected_version(),
            **{self.row_services.row: instance},
            **self.delete_options(),
        )

    def delete_options(self) -> dict[str, Any]:
        """More keywords for the delete service, from the request (`cascade`, say)."""
        return {}

    def cascade_confirmed(self) -> bool:
        """`?cascade=true` (or 1): the client confirms deleting what goes with the row."""
        value = self.request.query_params.get("cascade", "false").strip().lower()
        if value not in _BOOLEANS:
            raise exceptions.ValidationError({"cascade": ["Send true or false."]})
        return _BOOLEANS[value]

    def read_back(self, row: OrgOwnedModel) -> OrgOwnedModel:
        """The written row as the answer shows it (override to add what the list annotates)."""
        return row

    @staticmethod
    def _reason(serializer: BaseSerializer[Any], data: dict[str, Any]) -> dict[str, str]:
        if "reason" not in getattr(serializer, "fields", {}):
            return {}
        return {"reason": str(data.pop("reason", "") or "")}

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if isinstance(data, dict) and "version" in data and "id" in data:
            response["ETag"] = f'"{data["version"]}"'
        return response
