"""The whole way in, as a SaaS product has it: a founder signs up, creates an organization and invites a
colleague, who signs up through the link and joins with the role chosen for them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from execgap.models import Membership, Organization, Role
from tests.accounts.factories import make_invitation
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy pass phrase 42"


def test_a_founder_invites_a_colleague_who_signs_up_through_the_link_and_joins(
    client, django_capture_on_commit_callbacks
):
    # given a founder who signed up and created an organization
    client.post(
        reverse("signup"),
        {"username": "ada", "email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.post(reverse("organization_create"), {"name": "Acme", "slug": "acme"})
    organization = Organization.objects.get(slug="acme")
    # when they invite a colleague as executive
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            org_url("invitation_create", organization), {"email": "grace@example.com", "role": "executive"}
        )
    client.post(reverse("logout"))
    path = re.search(r"http://testserver(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)
    # and the colleague, who has no account, opens the link and follows "Sign up and join"
    invitation_page = client.get(path).content.decode()
    signup_url = re.search(r'href="(/accounts/signup/\?invitation=[^"]+)"', invitation_page).group(1)
    assert client.get(signup_url).context["form"]["email"].value() == "grace@example.com"
    signed_up = client.post(
        signup_url,
        {"username": "grace", "email": "grace@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    # then after signing up they are back on the invitation, and accepting it lets them in
    assert signed_up["Location"] == path
    joined = client.post(path)
    assert joined["Location"] == org_url("health", organization)
    roles = dict(Membership.objects.filter(organization=organization).values_list("user__username", "role"))
    assert roles == {"ada": Role.ADMIN, "grace": Role.EXECUTIVE}


def test_the_account_pages_run_a_bounded_number_of_queries(client, org):
    # given an invitation and an anonymous visitor
    _, token = make_invitation(org)
    # when they open the sign-up, login, invitation and password reset pages
    counts = {
        name: query_count(client, url)
        for name, url in {
            "signup": reverse("signup"),
            "signup from the invitation": f"{reverse('signup')}?invitation={token}",
            "login": reverse("login"),
            "invitation": reverse("invitation_accept", kwargs={"token": token}),
            "password reset": reverse("password_reset"),
        }.items()
    }
    # then each reads at most the invitation and its organization
    assert max(counts.values()) <= 2, counts


def test_the_signed_in_account_pages_run_a_bounded_number_of_queries(client, signed_in, org):
    # given a signed-in member and an invitation to their organization
    signed_in(Role.MEMBER)
    _, token = make_invitation(org)
    # when they open the new organization, password change and invitation pages
    counts = {
        name: query_count(client, url)
        for name, url in {
            "new organization": reverse("organization_create"),
            "password change": reverse("password_change"),
            "invitation": reverse("invitation_accept", kwargs={"token": token}),
        }.items()
    }
    # then each reads the session and user, and at most the invitation and a membership
    assert max(counts.values()) <= 4, counts
