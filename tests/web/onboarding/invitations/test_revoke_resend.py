"""Revoking and resending invitations: admins only, asked first, within the organization, and never
sent again too soon."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus
from execgap.models import Role
from tests.accounts.factories import make_invitation
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def test_an_admin_revokes_an_invitation_and_its_link_stops_working(client, signed_in, org):
    # given a pending invitation
    invitation, token = make_invitation(org)
    signed_in(Role.ADMIN)
    # when an admin revokes it
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk))
    # then it is revoked, and its link answers that it was withdrawn
    assert response["Location"] == org_url("invitation_create", org)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert client.get(reverse("invitation_accept", kwargs={"token": token})).status_code == 410


def test_an_invitation_of_another_organization_cannot_be_revoked(client, signed_in, org, other_org):
    # given an invitation of another organization
    invitation, _ = make_invitation(other_org)
    signed_in(Role.ADMIN)
    # when this organization's admin posts its id to their revoke URL
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk))
    # then it is not found, and stays pending
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_revokes(client, signed_in, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, _ = make_invitation(org)
    signed_in(role)
    # when they post to revoke it
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk))
    # then they are refused and it stays pending
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_sees_the_confirmation(client, signed_in, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, _ = make_invitation(org)
    signed_in(role)
    # when they open its revoke page
    response = client.get(org_url("invitation_revoke", org, pk=invitation.pk))
    # then they are refused, and told who may
    assert response.status_code == 403
    assert "This is open to admins only." in response.content.decode()


def test_an_invitation_resent_a_moment_ago_is_not_sent_again_yet(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given a pending invitation an admin has just resent
    invitation, _ = make_invitation(org, email="ada@example.com")
    signed_in(Role.ADMIN)
    url = org_url("invitation_resend", org, pk=invitation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    invitation.refresh_from_db()
    version = invitation.version
    # when they resend it again at once
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    # then they are told when it can be resent, the first email only went out, and its link is unchanged
    assert "was sent again a moment ago: it can be resent in" in response.content.decode()
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.version == version


def test_an_invitation_resent_a_while_ago_can_be_resent(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an invitation resent three minutes ago
    invitation, _ = make_invitation(org, email="ada@example.com", version=2)
    Invitation.objects.filter(pk=invitation.pk).update(updated_at=timezone.now() - timedelta(minutes=3))
    signed_in(Role.ADMIN)
    # when an admin resends it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(org_url("invitation_resend", org, pk=invitation.pk), follow=True)
    # then it is sent
    assert "Invitation sent again to ada@example.com" in response.content.decode()
    assert len(mail.outbox) == 1


def test_an_admin_resends_an_expired_invitation_from_the_list(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an expired invitation
    invitation, old_token = make_invitation(org, email="late@example.com", expires_at=timezone.now())
    signed_in(Role.ADMIN)
    # when an admin resends it from the list
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(org_url("invitation_resend", org, pk=invitation.pk), follow=True)
    # then they are told it was sent, a new link is emailed, and the old link no longer opens it
    assert "Invitation sent again to late@example.com" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["late@example.com"]
    assert client.get(reverse("invitation_accept", kwargs={"token": old_token})).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_invitation_of_another_organization_cannot_be_resent(client, signed_in, org, other_org):
    # given an invitation of another organization
    invitation, _ = make_invitation(other_org)
    signed_in(Role.ADMIN)
    # when this organization's admin posts its id to their resend URL
    response = client.post(org_url("invitation_resend", org, pk=invitation.pk))
    # then it is not found, and nothing is sent
    assert response.status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_resends(client, signed_in, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, _ = make_invitation(org)
    signed_in(role)
    # when they post to resend it
    response = client.post(org_url("invitation_resend", org, pk=invitation.pk))
    # then they are refused
    assert response.status_code == 403
    assert mail.outbox == []


def test_revoking_asks_first_and_the_link_alone_changes_nothing(client, signed_in, org):
    # given a pending invitation and an admin
    invitation, _ = make_invitation(org, email="ada@example.com")
    signed_in(Role.ADMIN)
    # when the admin follows the list's Revoke link (a GET, as a prefetch would be)
    url = org_url("invitation_revoke", org, pk=invitation.pk)
    response = client.get(url)
    # then a page asks to confirm, posting to the same address, and nothing happened yet
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Revoke the invitation of ada@example.com</h1>" in html
    assert f'<form method="post" action="{url}"' in html
    assert f'href="{org_url("invitation_create", org)}">Cancel</a>' in html
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_revoking_an_accepted_invitation_says_why_it_is_refused(client, signed_in, org):
    # given an accepted invitation
    invitation, _ = make_invitation(org, email="in@example.com", accepted_at=timezone.now())
    signed_in(Role.ADMIN)
    # when an admin posts to revoke it
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk), follow=True)
    # then they are told why, and it stays accepted
    assert "has already joined" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
