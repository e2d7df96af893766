"""Sign-up and a first organization: from nothing to the new organization's health page as its admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from execgap.models import Membership, Organization, Role
from tests.accounts.factories import make_invitation
from tests.factories import OrganizationFactory, UserFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy pass phrase 42"


def sign_up(client, **fields):
    data = {"username": "ada", "email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("signup"), {**data, **fields})


def test_a_visitor_signs_up_is_logged_in_and_asked_for_an_organization(client):
    # when a visitor signs up
    response = sign_up(client)
    # then their account exists, they are logged in, and they go on to create an organization
    user = get_user_model().objects.get(username="ada")
    assert user.email == "ada@example.com"
    assert response.status_code == 302
    assert response["Location"] == reverse("organization_create")
    assert client.get(reverse("organization_create")).context["user"] == user


def test_sign_up_then_create_an_organization_lands_on_its_health_page_as_its_admin(client):
    # given a new user
    sign_up(client)
    # when they create an organization with a name and no short address
    response = client.post(reverse("organization_create"), {"name": "Acme Rockets", "slug": ""})
    # then it gets a short address from its name, they are its admin, and its health page opens
    organization = Organization.objects.get(name="Acme Rockets")
    assert organization.slug == "acme-rockets"
    assert response["Location"] == org_url("health", organization)
    membership = Membership.objects.get(organization=organization)
    assert (membership.user.username, membership.role) == ("ada", Role.ADMIN)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"username": "Taken"}, "username", "already exists"),
        ({"email": "TAKEN@example.com"}, "email", "already exists"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "entirely numeric"),
        ({"password2": "something else 42"}, "password2", "match"),
        ({"email": "not-an-address"}, "email", "valid email"),
    ],
)
def test_an_invalid_sign_up_shows_the_error_beside_its_field_and_keeps_the_input(
    client, fields, field, message
):
    # given an existing user
    UserFactory(username="taken", email="taken@example.com")
    # when a visitor signs up with a field in error
    response = sign_up(client, **{"username": "grace", "email": "grace@example.com", **fields})
    # then the page answers 400 with the error beside that field
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    # and keeps what was typed, except the passwords
    assert f'value="{fields.get("username", "grace")}"' in html
    password_inputs = re.findall(r'<input type="password"[^>]*>', html)
    assert len(password_inputs) == 2
    assert not any("value=" in tag for tag in password_inputs)
    assert get_user_model().objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_the_sign_up_page_links_to_the_login_page(client):
    # when a visitor opens the sign-up page
    response = client.get(reverse("signup"))
    # then it has every field and the way to log in instead
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in html
    assert f'href="{reverse("login")}"' in html


def test_a_signed_in_user_is_not_asked_to_sign_up_again(client):
    # given a signed-in user
    client.force_login(UserFactory())
    # when they open the sign-up page
    response = client.get(reverse("signup"))
    # then they go home
    assert response["Location"] == reverse("home")


def test_signing_up_from_an_invitation_returns_to_it_with_the_address_filled_in(client, org):
    # given an invitation
    _, token = make_invitation(org, email="grace@example.com", role=Role.LEAD)
    accept_url = reverse("invitation_accept", kwargs={"token": token})
    # when its recipient opens the sign-up page from the invitation
    page = client.get(reverse("signup"), {"invitation": token})
    # then the page names the organization and fills in the invited address
    assert page.context["form"]["email"].value() == "grace@example.com"
    assert org.name in page.content.decode()
    # and once signed up they are back on the invitation, to accept it
    response = sign_up(client, username="grace", email="grace@example.com", invitation=token)
    assert response["Location"] == accept_url


def test_the_login_pages_sign_up_link_keeps_the_invitation(client, org):
    # given an invitation, and the login page reached from it
    _, token = make_invitation(org, email="grace@example.com")
    accept_url = reverse("invitation_accept", kwargs={"token": token})
    # when the visitor follows "Sign up" with the login page's next
    page = client.get(reverse("signup"), {"next": accept_url})
    # then the invitation is recognised, and signing up brings them back to it
    assert page.context["invitation"].email == "grace@example.com"
    assert (
        sign_up(client, username="grace", email="grace@example.com", next=accept_url)["Location"]
        == accept_url
    )


def test_an_unsafe_next_is_ignored(client):
    # when a visitor signs up with a next that leaves the site
    response = sign_up(client, next="https://evil.example/")
    # then they stay on the site
    assert response["Location"] == reverse("organization_create")


def test_creating_an_organization_needs_a_login(client):
    # when an anonymous visitor opens the new organization page
    response = client.get(reverse("organization_create"))
    # then they are asked to log in first
    assert response["Location"].startswith(reverse("login"))


def test_a_short_address_in_use_is_refused_with_a_free_one_suggested(client):
    # given organizations using "acme" and "acme-2"
    OrganizationFactory(slug="acme")
    OrganizationFactory(slug="acme-2")
    client.force_login(UserFactory())
    # when a user creates one named Acme
    response = client.post(reverse("organization_create"), {"name": "Acme", "slug": ""})
    # then the short address is refused beside its field with a free one, and the name is kept
    assert response.status_code == 400
    assert response.context["form"].errors["slug"] == ["The short address “acme” is taken. Try “acme-3”."]
    assert 'value="Acme"' in response.content.decode()
    assert Organization.objects.count() == 2


def test_a_malformed_short_address_is_refused(client):
    # given a signed-in user
    client.force_login(UserFactory())
    # when they choose a short address with spaces
    response = client.post(reverse("organization_create"), {"name": "Acme", "slug": "acme rockets"})
    # then it is refused beside its field, and nothing is created
    assert response.status_code == 400
    assert "slug" in response.context["form"].errors
    assert not Organization.objects.exists()


def test_a_user_without_an_organization_is_welcomed_with_both_ways_in(client):
    # given a user who belongs to no organization
    client.force_login(UserFactory())
    # when they open home
    html = client.get(reverse("home")).content.decode()
    # then they may create an organization, and are told how invitations work
    assert f'href="{reverse("organization_create")}"' in html
    assert "invitation link" in html


def test_the_page_suggests_a_free_short_address_as_the_name_is_typed(client):
    # given an organization using "acme"
    OrganizationFactory(slug="acme")
    client.force_login(UserFactory())
    # when the page is asked (as htmx does while the name is typed) for the name "Acme"
    response = client.get(reverse("organization_create"), {"name": "Acme"}, headers={"HX-Request": "true"})
    # then it shows the free address the organization would get
    assert response.status_code == 200
    assert "/o/acme-2/" in response.content.decode()
