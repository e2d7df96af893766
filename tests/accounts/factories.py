"""Invitations for tests: the stored row and the token its link carries (only its digest is stored)."""

from __future__ import annotations

import secrets
from typing import Any

from accounts.models import Invitation, token_digest
from execgap.models import Organization, Role
from tests.factories import InvitationFactory


def make_invitation(
    organization: Organization, *, email: str = "newcomer@example.com", role: str = Role.MEMBER, **fields: Any
) -> tuple[Invitation, str]:
    """A pending invitation straight into the database, and its link's token (tests of the write
    path call the service)."""
    token = secrets.token_urlsafe(32)
    invitation = InvitationFactory(
        organization=organization, email=email, role=role, token_digest=token_digest(token), **fields
    )
    return invitation, token
