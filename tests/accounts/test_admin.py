"""Invitations in the Django admin: shown to the organization's admins, revocable, never written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Invitation, InvitationStatus
from execgap.models import Role
from tests.accounts.factories import make_invitation

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:accounts_invitation_changelist"


def _staff(membership):
    membership.user.is_staff = True
    membership.user.save(update_fields=["is_staff"])
    return membership


def test_a_staff_admin_sees_their_organizations_invitations_only(client, member_of, org, other_org):
    # given invitations of two organizations, and a staff admin of the first
    make_invitation(org, email="ours@example.com")
    make_invitation(other_org, email="theirs@example.com")
    client.force_login(_staff(member_of(Role.ADMIN)).user)
    # when they open the invitations in the admin
    response = client.get(reverse(CHANGELIST))
    # then they see their organization's, without any token digest, and cannot add one
    html = response.content.decode()
    assert response.status_code == 200
    assert "ours@example.com" in html
    assert "theirs@example.com" not in html
    assert Invitation.objects.get(email="ours@example.com").token_digest not in html
    assert reverse("admin:accounts_invitation_add") not in html


def test_the_change_page_shows_no_digest_and_saves_nothing(client, member_of, org):
    # given an invitation and a staff admin
    invitation, _ = make_invitation(org, email="ours@example.com")
    client.force_login(_staff(member_of(Role.ADMIN)).user)
    url = reverse("admin:accounts_invitation_change", args=[invitation.pk])
    # when they open it and post a change
    html = client.get(url).content.decode()
    client.post(url, {"email": "changed@example.com", "role": Role.ADMIN})
    # then the digest is not shown and the invitation is unchanged
    assert invitation.token_digest not in html
    invitation.refresh_from_db()
    assert (invitation.email, invitation.role) == ("ours@example.com", Role.MEMBER)


def test_a_staff_admin_revokes_selected_invitations_through_the_service(client, member_of, org):
    # given a pending and an accepted invitation, and a staff admin
    pending, _ = make_invitation(org, email="pending@example.com")
    accepted, _ = make_invitation(org, email="in@example.com", accepted_at=pending.created_at)
    client.force_login(_staff(member_of(Role.ADMIN)).user)
    # when they revoke both with the admin action
    response = client.post(
        reverse(CHANGELIST),
        {"action": "revoke_selected", "_selected_action": [pending.pk, accepted.pk]},
        follow=True,
    )
    # then the pending one is revoked and the refusal of the accepted one is explained
    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert pending.status == InvitationStatus.REVOKED
    assert accepted.status == InvitationStatus.ACCEPTED
    assert "has already joined" in response.content.decode()


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_staff_who_are_not_admins_do_not_see_invitations(client, member_of, org, role):
    # given an invitation and a staff user who is not an admin of the organization
    make_invitation(org)
    client.force_login(_staff(member_of(role)).user)
    # when they open the invitations in the admin
    response = client.get(reverse(CHANGELIST))
    # then they are refused
    assert response.status_code == 403
