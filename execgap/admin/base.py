"""The Django admin, held to the same rules as every other door into ExecGap.

`OrgScopedAdmin` is the one base every app's admin uses. For its model it knows the `Resource` of
the rule table and the services that write it (`AdminServices`), and from them:

- lists only rows of organizations where the user has a membership (superusers see every row);
- grants view, add, change and delete by `execgap.roles.is_allowed` with the user's membership in
  the row's organization (Django's own model permissions play no part);
- saves and deletes through the services (the role check, validation, plan revision and stale
  mark happen there), with the changed form fields as `data`; what a service refuses is shown as
  an admin message, never as a server error;
- offers, in link fields, only rows of the organization being edited.

A model without a service for a write (the plan history, say) is read-only for that write.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from execgap.models import Membership, Organization
from execgap.roles import Action, Resource, is_allowed
from execgap.services import (
    StaleVersionError,
    writable_fields,
)
from execgap.tenancy import OrgOwnedModel

admin.site.site_header = "ExecGap administration"
admin.site.site_title = "ExecGap admin"
admin.site.index_title = "Organizations, plans and people"

REASON_CREATED = "Created in the admin"
REASON_CHANGED = "Changed in the admin"
REASON_DELETED = "Deleted in the admin"

_MEMBERSHIPS_ATTR = "_execgap_admin_memberships"


@dataclass(frozen=True)
class AdminServices:
    """The services that write a model, and the keyword under which they take the row.

    Each is called with the keywords it declares among `actor`, `data`, `<instance_kwarg>`,
    `expected_version` and `reason`; None makes that write unavailable in the admin.
    """

    instance_kwarg: str = ""
    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    delete: Callable[..., Any] | None = None


READ_ONLY = AdminServices()


class WriteRefusedError(Exception):
    """A service refused a write the admin asked for; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def call_service(service: Callable[..., Any], **kwargs: Any) -> Any:
    """Call `service` with those of `kwargs` it declares; its refusals become `WriteRefusedError`."""
    accepted = inspect.signature(service).parameters
    try:
        return service(**{name: value for name, value in kwargs.items() if name in accepted})
    except (ValidationError, PermissionDenied, StaleVersionError, ObjectDoesNotExist) as error:
        raise WriteRefusedError(describe_refusal(error)) from error


def describe_refusal(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        parts = []
        for field, errors in error.message_dict.items():
            label = "" if field == "__all__" else f"{field.replace('_', ' ')}: "
            parts.append(label + " ".join(errors))
        return "Not saved. " + "; ".join(parts)
    if isinstance(error, ValidationError):
        return "Not saved. " + " ".join(error.messages)
    if isinstance(error, ObjectDoesNotExist):
        return "Not saved: the row no longer exists."
    return f"Not saved: {error}"


def memberships_of(request: HttpRequest) -> dict[int, Membership]:
    """The request user's memberships by organization id (loaded once per request)."""
    cached: dict[int, Membership] | None = getattr(request, _MEMBERSHIPS_ATTR, None)
    if cached is None:
        user_id = request.user.pk
        memberships = (
            Membership.objects.filter(user_id=user_id) if user_id is not None else Membership.objects.none()
        )
        cached = {m.organization_id: m for m in memberships.select_related("organization", "user")}
        setattr(request, _MEMBERSHIPS_ATTR, cached)
    return cached


class OrgScopedAdminForm(forms.ModelForm):
    """A change form whose link fields offer only rows of the organization it edits.

    `expected_version` carries the version the user read, so that saving over someone else's
    newer change is refused instead of silently overwriting it.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    organization_ids: ClassVar[frozenset[int]] = frozenset()  # where the user is a member
    creatable_organization_ids: ClassVar[frozenset[int]] = frozenset()  # where they may add this row

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing and hasattr(self.instance, "version"):
            self.fields["expected_version"].initial = self.instance.version
        org_id = getattr(self.instance, "organization_id", None) if editing else None
        scope = {org_id} if org_id is not None else self.organization_ids
        user_model = get_user_model()
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                continue
            queryset = field.queryset
            if name == "organization" and queryset.model is Organization:
                field.queryset = queryset.filter(pk__in=self.creatable_organization_ids)
                if len(self.creatable_organization_ids) == 1:
                    field.initial = next(iter(self.creatable_organization_ids))
            elif issubclass(queryset.model, OrgOwnedModel):
                field.queryset = queryset.filter(organization_id__in=scope)
            elif queryset.model is user_model:
                field.queryset = queryset.filter(memberships__organization_id__in=scope).distinct()


class OrgScopedAdmin(admin.ModelAdmin):
    """The admin of an organization-owned model; subclasses set `resource` and `services`."""

    resource: ClassVar[Resource]
    services: ClassVar[AdminServices] = READ_ONLY
    organization_lookup: ClassVar[str] = "organization"  # the path from a row to its organization
    form = OrgScopedAdminForm

    # Organization --------------------------------------------------------------------------

    def organization_id_of(self, obj: Any) -> int | None:
        return getattr(obj, "organization_id", None)

    def organization_ids(self, request: HttpRequest, action: Action) -> frozenset[int]:
        """The organizations where the user's role grants `action` on this resource at all."""
        return frozenset(
            org_id
            for org_id, membership in memberships_of(request).items()
            if is_allowed(membership, self.resource, action)
        )

    def actor_for(self, request: HttpRequest, obj: Any) -> Membership:
        membership = memberships_of(request).get(self.organization_id_of(obj) or 0)
        if membership is None:
            raise WriteRefusedError("Not saved: you are not a member of this organization.")
        return membership

    # Permissions ---------------------------------------------------------------------------

    def _allowed(self, request: HttpRequest, action: Action, obj: Any = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if obj is None:
            return bool(self.organization_ids(request, action))
        membership = memberships_of(request).get(self.organization_id_of(obj) or 0)
        return membership is not None and is_allowed(membership, self.resource, action, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_active and request.user.is_superuser:
            return True
        return self._allowed(request, Action.VIEW, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.services.create is not None and self._allowed(request, Action.CREATE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.services.update is not None and self._allowed(request, Action.CHANGE, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.services.delete is not None and self._allowed(request, Action.DELETE, obj)

    # Reads ---------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        visible = self.organization_ids(request, Action.VIEW)
        return queryset.filter(**{f"{self.organization_lookup}__in": visible})

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        scope = {
            "organization_ids": frozenset(memberships_of(request)),
            "creatable_organization_ids": self.organization_ids(request, Action.CREATE),
        }
        return type(form.__name__, (form,), scope)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if "expected_version" in fields:  # a hidden field: last, out of the way
            fields.remove("expected_version")
            if obj is not None and hasattr(obj, "version") and self.has_change_permission(request, obj):
                fields.append("expected_version")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and "organization" not in readonly:
            readonly.append("organization")  # a row never moves to another organization
        return readonly

    # Writes --------------------------------------------------------------------------------

    def service_data(self, form: forms.ModelForm, *, change: bool) -> dict[str, Any]:
        """The form's values a service takes: on a change only those the user changed."""
        writable = writable_fields(self.model) - {"organization", "organization_id"}
        names = form.changed_data if change else list(form.cleaned_data)
        return {name: form.cleaned_data[name] for name in names if name in writable}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = self.actor_for(request, obj)
        data = self.service_data(form, change=change)
        if change and self.services.update is not None:
            row = call_service(
                self.services.update, actor=actor, data=data, reason=REASON_CHANGED,
                expected_version=form.cleaned_data.get("expected_version"),
                **{self.services.instance_kwarg: obj},
            )  # fmt: skip
        elif not change and self.services.create is not None:
            row = call_service(self.services.create, actor=actor, data=data, reason=REASON_CREATED)
        else:
            raise WriteRefusedError("Not saved: this cannot be changed here.")
        self._adopt(obj, row)

    def _adopt(self, obj: Any, row: Any) -> None:
        """Give the admin's object what the service stored (its id and version feed the messages)."""
        for field in row._meta.concrete_fields:
            setattr(obj, field.attname, getattr(row, field.attname))
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if self.services.delete is None:
            raise WriteRefusedError("Not deleted: this cannot be deleted here.")
        call_service(
            self.services.delete, actor=self.actor_for(request, obj), reason=REASON_DELETED,
            **{self.services.instance_kwarg: obj},
        )  # fmt: skip

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """Delete each selected row through the service: all of them, or none when one is refused."""
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """No many-to-many fields and no inlines: everything was written by the service."""

    # Refusals become messages --------------------------------------------------------------

    def _refused(self, request: HttpRequest, error: WriteRefusedError) -> HttpResponse:
        self.message_user(request, error.message, level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:  # fmt: skip
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WriteRefusedError as error:  # the admin's transaction has rolled back: nothing is written
            return self._refused(request, error)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except WriteRefusedError as error:
            return self._refused(request, error)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().changelist_view(request, extra_context)
        except WriteRefusedError as error:
            return self._refused(request, error)


def related_only(*names: str) -> tuple[tuple[str, type[admin.FieldListFilter]], ...]:
    """List filters on links that offer only the rows the (scoped) changelist refers to."""
    return tuple((name, admin.RelatedOnlyFieldListFilter) for name in names)


# Organizations and memberships ---------------------------------------------------------------


def short_text(field: str, length: int = 80) -> Callable[[Any], str]:
    """A changelist column with the start of a long text field."""

    def column(obj: Any) -> str:
        text = str(getattr(obj, field))
        return text if len(text) <= length else text[: length - 1] + "…"

    column.short_description = field.replace("_", " ")  # type: ignore[attr-defined]
    return column
