"""Reads of sign-up and invitations."""

from __future__ import annotations

import hmac

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus, token_digest
from execgap.models import Organization


class InvitationNotFound(ObjectDoesNotExist):
    """No invitation has this token (a mistyped, truncated or made-up link)."""


def invitation_by_token(token: str) -> Invitation:
    """The invitation this link's token opens, whatever its status; else `InvitationNotFound`.

    Looked up by the token's digest (the index search sees only the digest, which reveals nothing
    of the token), then compared in constant time.
    """
    digest = token_digest(token)
    invitation = (
        Invitation.objects.select_related("organization", "invited_by").filter(token_digest=digest).first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_digest, digest):
        raise InvitationNotFound("No invitation has this link.")
    return invitation


def invitations_of(organization: Organization, *, search: str = "", status: str = "") -> QuerySet[Invitation]:
    """The organization's invitations, newest first, with who sent and who accepted each (those
    whose email contains `search`, and those of `status` (an InvitationStatus value), when given)."""
    invitations = (
        Invitation.objects.for_org(organization)
        .select_related("invited_by", "accepted_by")
        .order_by("-created_at", "-id")
    )
    now = timezone.now()
    if status == InvitationStatus.PENDING:
        invitations = invitations.pending(now=now)
    elif status == InvitationStatus.ACCEPTED:
        invitations = invitations.filter(accepted_at__isnull=False)
    elif status == InvitationStatus.REVOKED:
        invitations = invitations.filter(revoked_at__isnull=False)
    elif status == InvitationStatus.EXPIRED:
        invitations = invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
        )
    return invitations.filter(email__icontains=search) if search else invitations
