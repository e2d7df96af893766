"""invitation_resend: a pending or expired invitation is sent again with a new link; the old one dies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import InvitationStatus
from accounts.selectors import InvitationNotFound, invitation_by_token
from accounts.services import invitation_resend
from execgap.models import Membership, Role
from tests.accounts.factories import make_invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://execgap.example/"


def test_an_expired_invitation_is_sent_again_with_a_new_link(admin, org, django_capture_on_commit_callbacks):
    # given an invitation that expired yesterday
    invitation, old_token = make_invitation(org, expires_at=timezone.now() - timedelta(days=1))
    # when an admin resends it
    with django_capture_on_commit_callbacks(execute=True):
        created = invitation_resend(actor=admin, invitation=invitation, base_url=BASE_URL)
    # then it is pending again for a full week, under a new link that was emailed
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    [message] = mail.outbox
    assert created.link in message.body
    new_token = created.link.rstrip("/").rsplit("/", 1)[1]
    assert invitation_by_token(new_token) == invitation
    # and the old link opens nothing any more
    with pytest.raises(InvitationNotFound):
        invitation_by_token(old_token)


@pytest.mark.parametrize("field", ["accepted_at", "revoked_at"])
def test_an_accepted_or_revoked_invitation_is_not_resent(
    admin, org, field, django_capture_on_commit_callbacks
):
    # given an invitation that was accepted, or revoked
    invitation, token = make_invitation(org, **{field: timezone.now()})
    # when an admin resends it
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invitation_resend(actor=admin, invitation=invitation, base_url=BASE_URL)
    # then nothing is sent and its link is unchanged
    assert mail.outbox == []
    assert invitation_by_token(token) == invitation


def test_an_invitation_whose_address_joined_meanwhile_is_not_resent(admin, org):
    # given a pending invitation whose address now belongs to a member
    invitation, _ = make_invitation(org, email="grace@example.com")
    Membership.objects.create(organization=org, user=UserFactory(email="grace@example.com"), role=Role.MEMBER)
    # when an admin resends it
    with pytest.raises(ValidationError) as refused:
        invitation_resend(actor=admin, invitation=invitation, base_url=BASE_URL)
    # then they are told why
    assert "already a member" in refused.value.messages[0]


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_resends(member_of, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, token = make_invitation(org)
    # when they resend it
    with pytest.raises(PermissionDenied):
        invitation_resend(actor=member_of(role), invitation=invitation, base_url=BASE_URL)
    # then its link is unchanged
    assert invitation_by_token(token) == invitation


def test_an_invitation_of_another_organization_is_not_resent(admin, other_org):
    # given an invitation of another organization
    invitation, token = make_invitation(other_org)
    # when this organization's admin resends it
    with pytest.raises(type(invitation).DoesNotExist):
        invitation_resend(actor=admin, invitation=invitation, base_url=BASE_URL)
    # then its link is unchanged
    assert invitation_by_token(token) == invitation
