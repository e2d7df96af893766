"""The API tokens page: my tokens only; a new token is shown once; revoking stops it at once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from execgap import tokens
from execgap.models import ApiToken, Role
from tests.factories import UserFactory
from tests.web.conftest import query_count

pytestmark = pytest.mark.django_db

LIST = "/accounts/tokens/"


def _secret(response) -> str:
    found = re.search(r'id="new-token"[^>]*value="([^"]+)"', response.content.decode())
    assert found, "the new token is not on the page"
    return found.group(1)


def _api_status(secret: str) -> int:
    """What the REST API answers a request made with this token (a fresh client: no session)."""
    return Client().get("/api/v1/tokens/", HTTP_AUTHORIZATION=f"Token {secret}").status_code


def _field_errors(response, field: str) -> list[str]:
    found = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def test_the_url_name_is_the_reserved_one():
    assert reverse("token_list") == LIST


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    # when someone not signed in opens the tokens
    response = client.get(LIST)
    # then they are asked to log in first
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("role", tuple(Role))
def test_every_member_lists_only_their_own_tokens(client, signed_in, role):
    # given a member of any role with a token, and another user's token
    me = signed_in(role)
    tokens.token_create(user=me.user, name="My laptop", expires_in_days=30)
    tokens.token_create(user=UserFactory(), name="Someone else's CI")
    # when they open the tokens
    response = client.get(LIST)
    # then only their token is listed, named and dated, with the account menu and no organization menu
    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="row">My laptop</th>' in html
    assert "Someone else" not in html
    assert 'aria-label="Revoke token My laptop"' in html
    assert 'aria-label="Main"' not in html
    assert "Change password" in html


def test_a_user_without_an_organization_has_tokens_too(client):
    # given a signed-in user who belongs to no organization
    user = UserFactory()
    client.force_login(user)
    # when they open the tokens
    response = client.get(LIST)
    # then the page is theirs
    assert response.status_code == 200
    assert "You have no API tokens." in response.content.decode()


def test_a_new_token_is_shown_once_and_authenticates_against_the_api(client, signed_in):
    # given a member
    me = signed_in(Role.MEMBER)
    # when they create a token
    response = client.post(LIST, {"name": "CI pipeline", "expires_in_days": ""})
    # then the answer holds the token, with the warning that it will not be shown again, uncached
    assert response.status_code == 201
    secret = _secret(response)
    assert "it will not be shown again" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=me.user)
    assert (token.name, token.expiry) == ("CI pipeline", None)
    assert secret.startswith(token.token_key)
    # and the token works against the API
    assert _api_status(secret) == 200
    # and the list never shows it again
    later = client.get(LIST).content.decode()
    assert secret not in later
    assert "CI pipeline" in later


def test_a_token_may_expire_after_some_days(client, signed_in):
    # given a member
    me = signed_in(Role.VIEWER)
    # when they create a token that expires after 30 days
    before = timezone.now()
    response = client.post(LIST, {"name": "Short-lived", "expires_in_days": "30"})
    # then its expiry is 30 days away, and the list says so
    assert response.status_code == 201
    expiry = ApiToken.objects.get(user=me.user).expiry
    assert before + timedelta(days=30) <= expiry <= timezone.now() + timedelta(days=30)
    assert f"It expires on {expiry:%-d %b %Y}" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 101}, "name", "Ensure this value has at most 100 characters (it has 101)."),
        (
            {"name": "Ok", "expires_in_days": "0"},
            "expires_in_days",
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"name": "Ok", "expires_in_days": "4000"},
            "expires_in_days",
            "Ensure this value is less than or equal to 3650.",
        ),
    ],
)
def test_an_invalid_token_is_refused_beside_the_field(client, signed_in, data, field, message):
    # given a member
    me = signed_in(Role.MEMBER)
    # when they post an invalid token
    response = client.post(LIST, data)
    # then the message is beside the field, the input kept, and no token was made or shown
    assert response.status_code == 400
    assert _field_errors(response, field) == [message]
    assert f'value="{data["name"]}"' in response.content.decode() or not data["name"]
    assert 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.filter(user=me.user).exists()


def test_a_name_of_spaces_only_is_refused(client, signed_in):
    # given a member
    me = signed_in(Role.MEMBER)
    # when they name a token with spaces only
    response = client.post(LIST, {"name": "   "})
    # then it is refused beside the name
    assert response.status_code == 400
    assert _field_errors(response, "name") == ["This field is required."]
    assert not ApiToken.objects.filter(user=me.user).exists()


def test_the_service_limit_on_live_tokens_is_shown_on_the_form(client, signed_in, monkeypatch):
    # given a member who has as many live tokens as the service allows
    me = signed_in(Role.MEMBER)
    monkeypatch.setattr(tokens, "MAX_TOKENS_PER_USER", 2)
    for name in ("one", "two"):
        tokens.token_create(user=me.user, name=name)
    # when they create one more
    response = client.post(LIST, {"name": "three"})
    # then the service's refusal is shown on the form, with their input kept
    assert response.status_code == 400
    assert "You have 2 tokens: revoke one you no longer use." in response.content.decode()
    assert 'value="three"' in response.content.decode()
    assert ApiToken.objects.filter(user=me.user).count() == 2


def test_an_expired_token_is_marked_expired(client, signed_in):
    # given a member with a token that has expired
    me = signed_in(Role.MEMBER)
    created = tokens.token_create(user=me.user, name="Old", expires_in_days=1)
    ApiToken.objects.filter(pk=created.instance.pk).update(expiry=timezone.now() - timedelta(days=1))
    # when they open the tokens
    html = client.get(LIST).content.decode()
    # then it says so in words
    assert '<span class="badge badge-bad">Expired</span>' in html


def test_revoking_a_token_stops_it_at_once(client, signed_in):
    # given a member with a working token
    me = signed_in(Role.MEMBER)
    created = tokens.token_create(user=me.user, name="Laptop")
    assert _api_status(created.token) == 200
    url = reverse("token_revoke", kwargs={"token_key": created.instance.token_key})
    # when they open the confirmation, then confirm
    confirmation = client.get(url)
    response = client.post(url)
    # then the page said what it means, the token is gone, and the API refuses it
    assert confirmation.status_code == 200
    assert "will stop working at once" in confirmation.content.decode()
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not ApiToken.objects.filter(user=me.user).exists()
    assert _api_status(created.token) == 401
    assert "Token “Laptop” revoked" in client.get(LIST).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_token_cannot_be_revoked(client, signed_in, method):
    # given a member, and another user's token
    signed_in(Role.ADMIN)
    theirs = tokens.token_create(user=UserFactory(), name="Theirs")
    url = reverse("token_revoke", kwargs={"token_key": theirs.instance.token_key})
    # when the member opens or posts its revocation
    response = getattr(client, method)(url)
    # then it does not exist for them, and it still works
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.instance.pk).exists()
    assert _api_status(theirs.token) == 200


def test_the_tokens_page_runs_as_many_queries_for_three_times_the_tokens(client, signed_in):
    # given a member
    me = signed_in(Role.MEMBER)
    client.get(LIST)

    def grow(n: int) -> None:
        for i in range(n):
            tokens.token_create(user=me.user, name=f"token {i}", expires_in_days=i + 1)

    # when the page is opened with a few tokens and with three times as many
    grow(2)
    small = query_count(client, LIST)
    grow(4)
    large = query_count(client, LIST)
    # then the number of queries does not grow
    assert small == large
    assert large <= 6


def test_the_revoke_confirmation_runs_as_many_queries_for_three_times_the_tokens(client, signed_in):
    # given a member with a token
    me = signed_in(Role.MEMBER)
    created = tokens.token_create(user=me.user, name="Laptop")
    url = reverse("token_revoke", kwargs={"token_key": created.instance.token_key})
    client.get(url)
    # when the confirmation is opened with a few tokens and with three times as many
    for i in range(2):
        tokens.token_create(user=me.user, name=f"small {i}")
    small = query_count(client, url)
    for i in range(4):
        tokens.token_create(user=me.user, name=f"large {i}")
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 6
