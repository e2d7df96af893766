"""The invitations page of an organization's settings: only admins invite, by email, and a colleague
joins through the emailed link; bad input is refused beside its field and a failed email is said."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation
from execgap.models import Membership, Role
from tests.factories import UserFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_an_admin_opens_or_posts_to_the_invitations_page(client, signed_in, org, role, method):
    # given a member who is not an admin
    signed_in(role)
    # when they open the page, or post an invitation
    response = getattr(client, method)(
        org_url("invitation_create", org), {"email": "x@example.com", "role": "admin"}
    )
    # then they are refused, with their role named, and nothing is sent
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_anonymous_visitor_is_asked_to_log_in(client, org):
    # when someone not logged in opens the page
    response = client.get(org_url("invitation_create", org))
    # then they log in first
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_an_admin_invites_a_colleague_who_joins_through_the_emailed_link(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an admin on the invitations page
    signed_in(Role.ADMIN)
    # when they invite a colleague as team lead
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            org_url("invitation_create", org), {"email": "grace@example.com", "role": "lead"}
        )
    # then they are back on the page, told it was sent, and the invitation is listed as pending
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Invitation sent to grace@example.com" in html
    assert "grace@example.com" in html
    assert "Pending" in html
    # and the colleague's email holds an absolute link
    [message] = mail.outbox
    assert message.to == ["grace@example.com"]
    link = next(
        word for word in message.body.split() if word.startswith("http://testserver/accounts/invitations/")
    )
    # when the colleague, signed in with their own account, opens the link and accepts
    client.logout()
    colleague = UserFactory(email="grace@example.com")
    client.force_login(colleague)
    path = link.removeprefix("http://testserver")
    assert org.name in client.get(path).content.decode()
    accepted = client.post(path)
    # then they are a team lead of the organization, on its health page
    assert accepted["Location"] == org_url("health", org)
    assert Membership.objects.get(organization=org, user=colleague).role == Role.LEAD


def test_an_invalid_invitation_shows_the_error_beside_the_field_and_keeps_the_input(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an admin, and a member with a known address
    signed_in(Role.ADMIN)
    existing = UserFactory(email="member@example.com")
    Membership.objects.create(organization=org, user=existing, role=Role.MEMBER)
    # when the admin invites that address
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            org_url("invitation_create", org), {"email": "member@example.com", "role": "viewer"}
        )
    # then the page answers 400 with the reason beside the email field, input kept, nothing sent
    assert response.status_code == 400
    assert "already a member" in response.context["form"].errors["email"][0]
    html = response.content.decode()
    assert 'value="member@example.com"' in html
    assert '<option value="viewer" selected>' in html
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_malformed_address_or_unknown_role_is_refused(client, signed_in, org):
    # given an admin
    signed_in(Role.ADMIN)
    # when they post a malformed address and a role that does not exist
    response = client.post(org_url("invitation_create", org), {"email": "grace", "role": "owner"})
    # then both fields say why
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "role"}
    assert not Invitation.objects.exists()


@pytest.mark.django_db(transaction=True)  # the email goes when the invitation commits, during the request
def test_an_invitation_whose_email_failed_is_kept_and_the_admin_is_told(client, signed_in, org, monkeypatch):
    # given a mail server that is down
    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("accounts.services.send_mail", unreachable)
    signed_in(Role.ADMIN)
    # when an admin invites someone
    response = client.post(
        org_url("invitation_create", org), {"email": "grace@example.com", "role": "member"}, follow=True
    )
    # then the page says the email could not be sent and what to do, and the invitation is listed
    html = response.content.decode()
    assert "could not be sent" in html
    assert "Resend" in html
    assert Invitation.objects.filter(email="grace@example.com").exists()
