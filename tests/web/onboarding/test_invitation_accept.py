"""The invitation link's page: who may accept, and what a link that lets nobody in says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import InvitationStatus
from execgap.models import Membership, Role
from tests.accounts.factories import make_invitation
from tests.factories import MembershipFactory, UserFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def accept_url(token: str) -> str:
    return reverse("invitation_accept", kwargs={"token": token})


def test_an_anonymous_visitor_sees_the_invitation_and_the_ways_to_accept_it(client, org):
    # given an invitation as executive
    _, token = make_invitation(org, email="grace@example.com", role=Role.EXECUTIVE)
    # when someone not logged in opens its link
    response = client.get(accept_url(token))
    # then they see the organization and the role, and may log in or sign up and come back
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Join {org.name}" in html
    assert "executive" in html
    assert f'href="{reverse("login")}?next={accept_url(token).replace("/", "%2F")}"' in html
    assert f'href="{reverse("signup")}?invitation={token}"' in html


def test_an_anonymous_post_is_sent_to_log_in_and_changes_nothing(client, org):
    # given an invitation
    invitation, token = make_invitation(org)
    # when someone not logged in posts to accept it
    response = client.post(accept_url(token))
    # then they are asked to log in, coming back to the invitation, and it is still pending
    assert response["Location"] == f"{reverse('login')}?next={accept_url(token).replace('/', '%2F')}"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_logging_in_from_the_invitation_comes_back_to_it(client, org):
    # given an invitation and a user with a password
    _, token = make_invitation(org)
    user = UserFactory()
    # when they log in from the invitation's login link
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "a-long-test-password", "next": accept_url(token)},
    )
    # then they are back on the invitation
    assert response["Location"] == accept_url(token)


def test_a_signed_in_user_accepts_and_joins_with_the_invited_role(client, org):
    # given an invitation as viewer and a signed-in user
    invitation, token = make_invitation(org, role=Role.VIEWER)
    user = UserFactory()
    client.force_login(user)
    # when they open the link, then accept
    page = client.get(accept_url(token))
    assert "Accept and join" in page.content.decode()
    response = client.post(accept_url(token))
    # then they are a viewer of the organization, on its health page
    assert response["Location"] == org_url("health", org)
    assert Membership.objects.get(organization=org, user=user).role == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_a_used_link_answers_gone_and_lets_nobody_else_in(client, org):
    # given an invitation accepted by a first user
    _, token = make_invitation(org)
    client.force_login(UserFactory())
    client.post(accept_url(token))
    # when a second user opens and posts the same link
    second = UserFactory()
    client.force_login(second)
    opened = client.get(accept_url(token))
    posted = client.post(accept_url(token))
    # then both answer that it was used, and the second user joins nothing
    assert opened.status_code == posted.status_code == 410
    assert "already been used" in opened.content.decode()
    assert not Membership.objects.filter(user=second).exists()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_or_revoked_link_answers_gone_and_changes_nothing(client, org, fields, words, method):
    # given an expired or revoked invitation, and a signed-in user
    invitation, token = make_invitation(org, **fields)
    user = UserFactory()
    client.force_login(user)
    # when they open or post its link
    response = getattr(client, method)(accept_url(token))
    # then the page says why it cannot be used, and they join nothing
    assert response.status_code == 410
    assert words in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_wrong_token_is_not_found(client, org, method):
    # given a pending invitation and a signed-in user
    invitation, _ = make_invitation(org)
    user = UserFactory()
    client.force_login(user)
    # when they open a link with another token
    response = getattr(client, method)(accept_url("not-the-token"))
    # then no invitation is found, nothing about the organization is shown, and nothing changes
    assert response.status_code == 404
    html = response.content.decode()
    assert "not valid" in html
    assert org.name not in html
    assert not Membership.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_a_member_who_opens_an_invitation_is_told_they_already_belong(client, org):
    # given a viewer of the organization and an invitation as admin
    membership = MembershipFactory(organization=org, role=Role.VIEWER)
    invitation, token = make_invitation(org, role=Role.ADMIN)
    client.force_login(membership.user)
    # when they open it, then post it anyway
    opened = client.get(accept_url(token))
    posted = client.post(accept_url(token))
    # then they are told they already belong, keep their role, and the invitation stays usable
    assert "already a member" in opened.content.decode()
    assert "Accept and join" not in opened.content.decode()
    assert posted.status_code == 409
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_page_says_when_the_signed_in_account_is_not_the_invited_address(client, org):
    # given an invitation to one address, and a user with another
    _, token = make_invitation(org, email="grace@example.com")
    client.force_login(UserFactory(email="ada@example.com"))
    # when they open it
    html = client.get(accept_url(token)).content.decode()
    # then they are told which account accepting adds
    assert "sent to grace@example.com" in html


def test_the_invitation_page_is_not_cached(client, org):
    # given an invitation
    _, token = make_invitation(org)
    # when its link is opened
    response = client.get(accept_url(token))
    # then no cache keeps the page of a secret link
    assert "no-store" in response["Cache-Control"]
