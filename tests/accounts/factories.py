"""Invitations for tests: the stored row and the token its link carries (only its digest is stored)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Invitation, token_digest
from execgap.models import Organization, Role


def make_invitation(
    organization: Organization, *, email: str = "newcomer@example.com", role: str = Role.MEMBER, **fields: Any
) -> tuple[Invitation, str]:
    """A pending invitation straight into the database (tests of the write path call the service)."""
    token = secrets.token_urlsafe(32)
    fields.setdefault("expires_at", timezone.now() + timedelta(days=7))
    invitation = Invitation.objects.create(
        organization=organization, email=email, role=role, token_digest=token_digest(token), **fields
    )
    return invitation, token
