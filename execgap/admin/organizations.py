"""Organizations, memberships and API tokens in the Django admin (see `execgap.admin.base`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from execgap.admin.base import (
    AdminServices,
    OrgScopedAdmin,
    WriteRefusedError,
    call_service,
    describe_refusal,
    related_only,
)
from execgap.models import ApiToken, Membership, Organization
from execgap.roles import Resource
from execgap.services import (
    membership_create,
    membership_delete,
    membership_update,
    organization_create,
    organization_update,
)


def _membership_create(*, actor: Membership, data: Mapping[str, Any]) -> Membership:
    return membership_create(actor=actor, user=data.get("user"), role=data.get("role", ""))


def _membership_update(*, actor: Membership, membership: Membership, data: Mapping[str, Any]) -> Membership:
    return membership_update(actor=actor, membership=membership, role=data.get("role", membership.role))


def _organization_update(
    *, actor: Membership, data: Mapping[str, Any], expected_version: int | None
) -> Organization:
    return organization_update(actor=actor, data=data, expected_version=expected_version)


@admin.register(Organization)
class OrganizationAdmin(OrgScopedAdmin):
    """An organization and its scoring parameters. A superuser may add one: they become its admin."""

    resource = Resource.ORGANIZATION
    services = AdminServices(update=_organization_update)
    organization_lookup = "pk"
    list_display = (
        "name", "slug", "activity_window_days", "planning_horizon_days", "checkin_cadence_days",
        "default_task_effort_hours", "spread_thin_allocations", "scores_stale_since",
    )  # fmt: skip
    search_fields = ("name", "slug")
    readonly_fields = ("scores_stale_since", "scores_changed_at")

    def organization_id_of(self, obj: Any) -> int | None:
        return getattr(obj, "pk", None)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_active and request.user.is_staff and request.user.is_superuser)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(admin.ModelAdmin.get_readonly_fields(self, request, obj))
        return [*readonly, "slug"] if obj is not None else readonly

    def service_data(self, form: forms.ModelForm, *, change: bool) -> dict[str, Any]:
        from execgap.services import ORGANIZATION_SETTINGS

        names = form.changed_data if change else list(form.cleaned_data)
        return {name: form.cleaned_data[name] for name in names if name in ORGANIZATION_SETTINGS}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            organization = organization_create(
                user=request.user, slug=form.cleaned_data["slug"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            raise WriteRefusedError(describe_refusal(error)) from error
        actor = Membership.objects.select_related("user").get(organization=organization)  # its creator
        settings = {k: v for k, v in self.service_data(form, change=False).items() if k != "name"}
        if settings:
            organization = call_service(
                _organization_update, actor=actor, data=settings, expected_version=None
            )
        self._adopt(obj, organization)


@admin.register(Membership)
class MembershipAdmin(OrgScopedAdmin):
    resource = Resource.MEMBERSHIP
    services = AdminServices(
        instance_kwarg="membership",
        create=_membership_create,
        update=_membership_update,
        delete=membership_delete,
    )
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", *related_only("organization"))
    list_select_related = ("user", "organization")
    search_fields = ("user__username", "user__email", "organization__name")
    raw_id_fields = ("user",)  # a new member is nobody's member yet: no list of users to pick from

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "user"] if obj is not None else readonly

    def service_data(self, form: forms.ModelForm, *, change: bool) -> dict[str, Any]:
        names = form.changed_data if change else list(form.cleaned_data)
        return {name: form.cleaned_data[name] for name in names if name in ("user", "role")}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are shown, never written here: each is created once, by its user, and shown only then.

    Staff see their own tokens; superusers see every token.
    """

    list_display = ("name", "user", "token_key", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("name", "token_key", "user__username")
    readonly_fields = ("name", "user", "token_key", "created", "expiry")
    exclude = ("digest",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user_id=request.user.pk)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return obj is None or user.is_superuser or obj.user_id == user.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
