"""/api/v1/tokens/: each user lists, creates and revokes their own tokens (never anyone else's); a
token acts with its user's roles as they are at each request; revoked and expired tokens open nothing."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from execgap import tokens
from execgap.models import ApiToken, Membership, Role
from tests.api.accounts.conftest import ROLES, client_for, new_token, org_url, token_client
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"


# --- the lifecycle -------------------------------------------------------------------------------


def test_a_token_lives_from_creation_to_revocation(admin):
    # given a member signed in with a token
    first = new_token(admin.user, name="laptop")
    client = token_client(first.token)
    # when they create another token, named, with it
    created = client.post(TOKENS, {"name": "CI pipeline", "expires_in_days": 90}, format="json")
    # then the new token is shown once, and works
    assert created.status_code == 201
    second = created.json()
    assert token_client(second["token"]).get(org_url(admin.organization)).status_code == 200
    # and the list shows both, newest first, without the tokens or their digests
    listed = client.get(TOKENS)
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [row["name"] for row in rows] == ["CI pipeline", "laptop"]
    assert all(set(row) == {"name", "token_key", "created", "expiry"} for row in rows)
    assert second["token"] not in listed.content.decode()
    assert ApiToken.objects.get(token_key=second["token_key"]).digest not in listed.content.decode()
    # when they revoke the new one
    revoked = client.delete(f"{TOKENS}{second['token_key']}/")
    # then it opens nothing any more, and the first still works
    assert revoked.status_code == 204
    refused = token_client(second["token"]).get(org_url(admin.organization))
    assert (refused.status_code, refused.json()) == (401, {"detail": "Invalid token."})
    assert [row["name"] for row in client.get(TOKENS).json()["results"]] == ["laptop"]


def test_a_token_may_revoke_itself(admin):
    # given a token
    created = new_token(admin.user)
    client = token_client(created.token)
    # when it is used to revoke itself
    response = client.delete(f"{TOKENS}{created.instance.token_key}/")
    # then it is revoked, and its next request is refused
    assert response.status_code == 204
    assert client.get(TOKENS).status_code == 401


def test_an_expired_token_opens_nothing(admin):
    # given a token that expired a minute ago
    created = new_token(admin.user, expires_in_days=1)
    ApiToken.objects.filter(pk=created.instance.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    # when it is used
    response = token_client(created.token).get(org_url(admin.organization))
    # then it is refused (and knox removes it)
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})
    assert not ApiToken.objects.filter(pk=created.instance.pk).exists()


def test_a_token_that_has_not_expired_yet_works(admin):
    # given a token that expires in a minute
    created = new_token(admin.user, expires_in_days=1)
    ApiToken.objects.filter(pk=created.instance.pk).update(expiry=timezone.now() + timedelta(minutes=1))
    # when it is used, then it works
    assert token_client(created.token).get(org_url(admin.organization)).status_code == 200


def test_a_made_up_token_opens_nothing(admin):
    # given a real token, and one that differs from it in its last character
    created = new_token(admin.user)
    forged = created.token[:-1] + ("0" if created.token[-1] != "0" else "1")
    # when the forged one is used, then it is refused
    assert token_client(forged).get(TOKENS).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_every_role_manages_its_own_tokens(member_of, role):
    # given a member of each role with a token
    membership = member_of(role)
    client = token_client(new_token(membership.user).token)
    # when they list, create and revoke their tokens
    listed = client.get(TOKENS)
    created = client.post(TOKENS, {"name": "another"}, format="json")
    revoked = client.delete(f"{TOKENS}{created.json()['token_key']}/")
    # then each is allowed
    assert (listed.status_code, created.status_code, revoked.status_code) == (200, 201, 204)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_sees_or_revokes_anyone_elses_tokens(member_of, role):
    # given a member's token, and a member of each role (an admin too) of the same organization
    owner = member_of(Role.MEMBER)
    theirs = new_token(owner.user, name="owner's script")
    client = client_for(member_of(role))
    # when the other lists tokens and revokes the member's
    listed = client.get(TOKENS)
    revoked = client.delete(f"{TOKENS}{theirs.instance.token_key}/")
    # then they see none of it, it is not found for them, and it still works
    assert (listed.status_code, listed.json()["results"]) == (200, [])
    assert (revoked.status_code, revoked.json()) == (404, {"detail": "You have no token with this key."})
    assert token_client(theirs.token).get(TOKENS).status_code == 200


def test_revoking_an_unknown_token_is_404(admin):
    response = client_for(admin).delete(f"{TOKENS}eg_doesnotexist/")
    assert (response.status_code, response.json()) == (404, {"detail": "You have no token with this key."})


@pytest.mark.parametrize(
    ("method", "path"), [("get", TOKENS), ("post", TOKENS), ("delete", f"{TOKENS}eg_0123456789ab/")]
)
def test_the_anonymous_are_refused(method, path):
    # when someone with neither token nor session calls a token endpoint
    response = getattr(APIClient(), method)(path, {"name": "mine"}, format="json")
    # then they are told to authenticate, with the token scheme named
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_browser_session_creates_tokens_with_its_csrf_token_only(admin):
    # given a member signed in to the pages (a session), with CSRF checks on as in a browser
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin.user)
    # when a page's script creates a token without the CSRF token
    response = client.post(TOKENS, {"name": "from a page"}, format="json")
    # then it is refused, and nothing is made
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ApiToken.objects.exists()


# --- validation ----------------------------------------------------------------------------------

BAD_INPUT = {
    "no name": ({}, {"name": ["This field is required."]}),
    "blank name": ({"name": ""}, {"name": ["This field may not be blank."]}),
    "spaces for a name": ({"name": "   "}, {"name": ["This field may not be blank."]}),
    "long name": ({"name": "x" * 101}, {"name": ["Ensure this field has no more than 100 characters."]}),
    "zero days": (
        {"name": "ok", "expires_in_days": 0},
        {"expires_in_days": ["Ensure this value is greater than or equal to 1."]},
    ),
    "negative days": (
        {"name": "ok", "expires_in_days": -5},
        {"expires_in_days": ["Ensure this value is greater than or equal to 1."]},
    ),
    "too many days": (
        {"name": "ok", "expires_in_days": 3651},
        {"expires_in_days": ["Ensure this value is less than or equal to 3650."]},
    ),
    "days not a number": (
        {"name": "ok", "expires_in_days": "soon"},
        {"expires_in_days": ["A valid integer is required."]},
    ),
}


@pytest.mark.parametrize(("body", "errors"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_gets_400_field_by_field_and_no_token(admin, body, errors):
    # when a member creates a token with a bad field
    response = client_for(admin).post(TOKENS, body, format="json")
    # then that field is named, and nothing is made
    assert (response.status_code, response.json()) == (400, errors)
    assert not ApiToken.objects.exists()


def test_a_token_without_expiry_never_expires(admin):
    response = client_for(admin).post(TOKENS, {"name": "forever", "expires_in_days": None}, format="json")
    assert (response.status_code, response.json()["expiry"]) == (201, None)


def test_a_user_has_a_bounded_number_of_live_tokens(admin, monkeypatch):
    # given a member with as many live tokens as allowed (3 here), and one expired
    monkeypatch.setattr(tokens, "MAX_TOKENS_PER_USER", 3)
    expired = new_token(admin.user, name="expired", expires_in_days=1)
    ApiToken.objects.filter(pk=expired.instance.pk).update(expiry=timezone.now() - timedelta(days=1))
    for n in range(3):
        new_token(admin.user, name=f"live {n}")
    # when they create one more
    response = client_for(admin).post(TOKENS, {"name": "one too many"}, format="json")
    # then it is refused, saying why, and nothing is made
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["You have 3 tokens: revoke one you no longer use."]},
    )
    assert not ApiToken.objects.filter(name="one too many").exists()


# --- a token acts with its user's roles, as they are now ----------------------------------------


def test_a_token_acts_with_its_users_role_in_each_organization(org, other_org):
    # given a user who is a viewer of Acme and an admin of Globex, with one token
    viewer = MembershipFactory(organization=org, role=Role.VIEWER)
    MembershipFactory(organization=other_org, user=viewer.user, role=Role.ADMIN)
    client = token_client(new_token(viewer.user).token)
    # when the token renames both organizations
    in_acme = client.patch(org_url(org), {"name": "Renamed"}, format="json")
    in_globex = client.patch(org_url(other_org), {"name": "Renamed"}, format="json")
    # then it may in Globex only
    assert (in_acme.status_code, in_globex.status_code) == (403, 200)


def test_a_members_token_follows_their_membership(admin, member_of):
    # given a member with a token
    member = member_of(Role.MEMBER)
    client = token_client(new_token(member.user).token)
    assert client.get(org_url(admin.organization)).status_code == 200
    # when an admin removes them from the organization
    removed = client_for(admin).delete(org_url(admin.organization, f"memberships/{member.pk}/"))
    # then their token no longer opens it
    assert removed.status_code == 204
    assert client.get(org_url(admin.organization)).status_code == 404
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_creating_and_revoking_are_logged_without_the_token(admin, caplog):
    caplog.set_level(logging.INFO, logger="execgap.security")
    client = client_for(admin)
    # when a member creates a token and revokes it
    created = client.post(TOKENS, {"name": "deploy\nforged log line"}, format="json").json()
    client.delete(f"{TOKENS}{created['token_key']}/")
    # then both are logged, naming the token by its key, never with the token itself
    messages = [r.getMessage() for r in caplog.records if r.name == "execgap.security"]
    assert len(messages) == 2
    assert messages[0].startswith("API token created: ")
    assert f"token_key={created['token_key']}" in messages[0]
    assert "name='deploy\\nforged log line'" in messages[0]  # a name cannot forge a log line
    assert messages[1].startswith("API token revoked: ")
    assert not [m for m in messages if created["token"] in m]
