"""The invitations as CSV (`execgap.web.export`): every one sent, newest first, searched by email and
chosen by status as the list is; for admins, as the page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.onboarding.views import INVITATIONS_ORDER, invitation_status_read
from accounts.selectors import invitations_of
from execgap.roles import Action, Resource
from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
from execgap.web.paging import search_term


def _invitations(request: OrgRequest) -> TableRows:
    status, _ = invitation_status_read(request)
    found = invitations_of(request.org.organization, search=search_term(request), status=status)
    return TableRows(found, order=INVITATIONS_ORDER)


def _username(user: Any) -> str:
    return user.get_username() if user is not None else ""


INVITATIONS = CsvTable(
    "invitations",
    (
        Column("Email", lambda invitation: invitation.email),
        Column("Role", lambda invitation: invitation.get_role_display()),
        Column("Status", lambda invitation: invitation.status_at(timezone.now()).label),
        Column("Sent", lambda invitation: invitation.created_at),
        Column("Sent by", lambda invitation: _username(invitation.invited_by)),
        Column("Expires", lambda invitation: invitation.expires_at),
        Column("Accepted", lambda invitation: invitation.accepted_at),
        Column("Accepted by", lambda invitation: _username(invitation.accepted_by)),
        Column("Revoked", lambda invitation: invitation.revoked_at),
    ),
    _invitations,
    Resource.MEMBERSHIP,
    Action.CREATE,
)
