"""Invitations in the Django admin: shown, never written here (they are sent from the settings pages),
except that a pending one may be revoked, through the same service as the page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import Invitation
from accounts.services import invitation_revoke
from execgap.admin import (
    READ_ONLY,
    OrgScopedAdmin,
    WriteRefusedError,
    call_service,
    memberships_of,
    related_only,
)
from execgap.roles import Action, Resource, is_allowed

FIELDS = (
    "organization", "email", "role", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by",
    "revoked_at",
)  # fmt: skip


@admin.register(Invitation)
class InvitationAdmin(OrgScopedAdmin):
    resource = Resource.MEMBERSHIP
    services = READ_ONLY
    list_display = ("email", "organization", "role", "status", "invited_by", "created_at", "expires_at")
    list_filter = ("role", *related_only("organization"))
    list_select_related = ("organization", "invited_by")
    search_fields = ("email", "organization__name")
    fields = FIELDS
    readonly_fields = FIELDS  # the token's digest is never shown
    actions = ("revoke_selected",)

    @admin.display(description="status")
    def status(self, obj: Invitation) -> str:
        return obj.status.label

    @admin.action(description="Revoke the selected invitations")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        revoked, refused = 0, []
        for invitation in queryset:
            membership = memberships_of(request).get(invitation.organization_id)
            if membership is None or not is_allowed(membership, Resource.MEMBERSHIP, Action.DELETE):
                refused.append(f"{invitation.email}: not an admin of its organization.")
                continue
            try:
                call_service(invitation_revoke, actor=membership, invitation=invitation)
            except WriteRefusedError as error:
                refused.append(f"{invitation.email}: {error.message}")
            else:
                revoked += 1
        if revoked:
            self.message_user(request, f"{revoked} invitation{'s' if revoked != 1 else ''} revoked.")
        for message in refused:
            self.message_user(request, message, level=messages.ERROR)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not self.organization_ids(request, Action.DELETE):
            actions.pop("revoke_selected", None)
        return actions
