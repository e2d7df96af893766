"""POST /api/v1/auth/token/: a username and password buy a personal API token; failures are
counted by django-axes and lock the username out from the caller's address past the limit."""

import logging
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.test import APIClient

from execgap.models import ApiToken
from tests.api.accounts.conftest import PASSWORD, org_url, token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REFUSED = {"non_field_errors": ["Unable to sign in with this username and password."]}


def sign_in(**body):
    return APIClient().post(TOKEN_URL, body, format="json")


def test_a_username_and_password_buy_a_token_that_works(admin):
    # when a member signs in with their password
    response = sign_in(username=admin.user.username, password=PASSWORD, name="Nightly export")
    # then they get a token, shown this once, named as asked, that never expires
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "name", "token_key", "created", "expiry"}
    assert (body["name"], body["expiry"]) == ("Nightly export", None)
    assert body["token"].startswith(body["token_key"])
    # and only its digest is stored
    stored = ApiToken.objects.get(user=admin.user)
    assert (stored.token_key, stored.name) == (body["token_key"], "Nightly export")
    assert body["token"] not in (stored.digest, stored.token_key)
    # and it opens the member's organization
    assert token_client(body["token"]).get(org_url(admin.organization)).status_code == 200


def test_a_token_without_a_name_is_called_api_token(admin):
    # when a member signs in and names nothing
    response = sign_in(username=admin.user.username, password=PASSWORD)
    # then the token has the default name
    assert (response.status_code, response.json()["name"]) == (201, "API token")


def test_a_token_may_expire(admin):
    # when a member asks for a token that expires in 30 days
    before = timezone.now()
    response = sign_in(username=admin.user.username, password=PASSWORD, expires_in_days=30)
    # then it expires 30 days from now
    assert response.status_code == 201
    expiry = ApiToken.objects.get(user=admin.user).expiry
    assert before + timedelta(days=30) <= expiry <= timezone.now() + timedelta(days=30)


def test_a_stale_token_in_the_headers_does_not_stop_a_sign_in(admin):
    # given a script that still sends a revoked token
    client = token_client("eg_revokedrevokedrevokedrevoked")
    # when it signs in again
    response = client.post(TOKEN_URL, {"username": admin.user.username, "password": PASSWORD}, format="json")
    # then it gets a new token
    assert response.status_code == 201


@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param({"password": "wrong-password"}, id="wrong password"),
        pytest.param({"username": "nobody", "password": PASSWORD}, id="unknown username"),
        pytest.param({"password": PASSWORD, "inactive": True}, id="inactive user"),
    ],
)
def test_bad_credentials_get_the_same_400_and_no_token(admin, credentials):
    user = admin.user
    if credentials.pop("inactive", False):
        user.is_active = False
        user.save()
    # when someone signs in with a wrong password, an unknown username or a deactivated account
    response = sign_in(**{"username": user.username, **credentials})
    # then they are refused with one message that does not say which was wrong, and no token is made
    assert (response.status_code, response.json()) == (400, REFUSED)
    assert not ApiToken.objects.exists()


REQUIRED = ["This field is required."]
BAD_INPUT = {
    "nothing": ({"username": None, "password": None}, {"username": REQUIRED, "password": REQUIRED}),
    "no password": ({"password": None}, {"password": REQUIRED}),
    "no username": ({"username": None}, {"username": REQUIRED}),
    "blank password": ({"password": ""}, {"password": ["This field may not be blank."]}),
    "blank name": ({"name": ""}, {"name": ["This field may not be blank."]}),
    "long name": ({"name": "x" * 101}, {"name": ["Ensure this field has no more than 100 characters."]}),
    "zero days": (
        {"expires_in_days": 0},
        {"expires_in_days": ["Ensure this value is greater than or equal to 1."]},
    ),
    "too many days": (
        {"expires_in_days": 3651},
        {"expires_in_days": ["Ensure this value is less than or equal to 3650."]},
    ),
    "days not a number": ({"expires_in_days": "soon"}, {"expires_in_days": ["A valid integer is required."]}),
}


@pytest.mark.parametrize(("body", "errors"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_gets_400_field_by_field_and_no_token(admin, body, errors):
    # when a member signs in with a field missing (None here) or wrong
    fields = {"username": admin.user.username, "password": PASSWORD, **body}
    response = sign_in(**{name: value for name, value in fields.items() if value is not None})
    # then each bad field is named, and no token is made
    assert response.status_code == 400
    assert {field: response.json().get(field) for field in errors} == errors
    assert not ApiToken.objects.exists()


def test_sign_ins_and_failures_are_logged_without_secrets(admin, caplog):
    caplog.set_level(logging.INFO, logger="execgap.security")
    # when a member fails to sign in once, then signs in
    sign_in(username=admin.user.username, password="not-my-password")
    token = sign_in(username=admin.user.username, password=PASSWORD).json()["token"]
    # then both are logged to execgap.security, with neither password nor token
    security = [record for record in caplog.records if record.name == "execgap.security"]
    messages = [record.getMessage() for record in security]
    assert [record.levelname for record in security] == ["WARNING", "INFO"]
    assert messages[0].startswith("API sign-in failed: username='user")
    assert messages[1].startswith("API token created:")
    assert not [m for m in messages if "not-my-password" in m or PASSWORD in m or token in m]


# --- lockout (django-axes) -----------------------------------------------------------------------


@pytest.fixture
def failure_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_too_many_failures_lock_the_username_out_even_with_the_right_password(admin, failure_limit, caplog):
    caplog.set_level(logging.INFO, logger="execgap.security")
    username = admin.user.username
    # when someone guesses a member's password as many times as the limit allows
    answers = [sign_in(username=username, password=f"guess-{n}") for n in range(failure_limit)]
    # then the guesses before the limit are refused as bad credentials, and the last one locks out
    assert [answer.status_code for answer in answers] == [400] * (failure_limit - 1) + [429]
    # and afterwards even the right password is refused, with a clear JSON answer and when to retry
    response = sign_in(username=username, password=PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Account locked: too many login attempts. Please try again later."}
    assert response["Retry-After"] == str(60 * 60)  # AXES_COOLOFF_TIME: one hour
    assert not ApiToken.objects.exists()
    # and the lockout is logged
    assert any(r.getMessage().startswith("API sign-in locked out") for r in caplog.records)


def test_a_lockout_is_for_that_username_only(admin, failure_limit):
    # given a username locked out after too many failures
    for n in range(failure_limit):
        sign_in(username="victim-guess", password=f"guess-{n}")
    # when another member signs in from the same address
    response = sign_in(username=admin.user.username, password=PASSWORD)
    # then they get their token
    assert response.status_code == 201


def test_a_locked_username_is_locked_from_every_address_and_no_other_account_is(admin, failure_limit):
    # given a member's username locked out by failures from one address
    for n in range(failure_limit):
        APIClient(REMOTE_ADDR="203.0.113.9").post(
            TOKEN_URL, {"username": admin.user.username, "password": f"guess-{n}"}, format="json"
        )
    # when the member signs in with the right password from their own address, then it is refused
    # (the account is locked for a while, whatever the address: made-up addresses cannot dodge it)
    assert sign_in(username=admin.user.username, password=PASSWORD).status_code == 429
    # and another member signing in from their own address gets their token
    other = UserFactory()
    assert sign_in(username=other.username, password=PASSWORD).status_code == 201


def test_failures_below_the_limit_do_not_lock_out(failure_limit):
    # given a member who mistyped their password once less than the limit
    user = UserFactory()
    for _ in range(failure_limit - 1):
        sign_in(username=user.username, password="typo")
    # when they sign in correctly
    response = sign_in(username=user.username, password=PASSWORD)
    # then they get their token
    assert response.status_code == 201


def test_a_form_posted_password_is_not_kept_with_the_failed_attempt(admin):
    # when a sign-in is posted as a form (as `curl -d` does) with a wrong password
    response = APIClient().post(TOKEN_URL, {"username": admin.user.username, "password": "hunter2-secret"})
    # then it is refused, and the failure axes keeps does not hold the password
    assert response.status_code == 400
    attempt = AccessAttempt.objects.get(username=admin.user.username)
    assert "hunter2-secret" not in attempt.post_data
    assert attempt.failures_since_start == 1


def test_a_form_posted_sign_in_gets_a_token(admin):
    # when a sign-in is posted as a multipart form (`curl -F`) or an urlencoded one (`curl -d`)
    fields = {"username": admin.user.username, "password": PASSWORD}
    multipart = APIClient().post(TOKEN_URL, fields)
    urlencoded = APIClient().post(
        TOKEN_URL, urlencode(fields), content_type="application/x-www-form-urlencoded"
    )
    # then both get a token, though the schema offers the JSON body alone
    assert (multipart.status_code, urlencoded.status_code) == (201, 201)


def test_every_other_write_takes_json_only(admin):
    # when a token is asked for with a form
    client = APIClient()
    client.force_authenticate(admin.user)
    response = client.post("/api/v1/tokens/", {"name": "script"})
    # then the media type is refused, saying which
    assert response.status_code == 415
    assert response.json()["detail"].startswith('Unsupported media type "multipart/form-data;')
