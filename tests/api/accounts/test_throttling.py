"""Throttling: the sign-in endpoint allows a few requests a minute per address, every other
endpoint many per user, counted in Django's cache; the rates come from the environment."""

import pytest
import rest_framework.throttling
from axes.models import AccessAttempt
from django.core.cache import cache as default_cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from execgap.models import ApiToken
from execgap.settings import throttle_rate
from tests.api.accounts.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def sign_in(username, password=PASSWORD, address="127.0.0.1", **headers):
    return APIClient(REMOTE_ADDR=address, **headers).post(
        TOKEN_URL, {"username": username, "password": password}, format="json"
    )


def test_the_sign_in_endpoint_allows_a_few_requests_a_minute_per_address(admin, throttle_rates):
    # given a rate of 3 sign-ins a minute
    throttle_rates(auth_token="3/min")
    username = admin.user.username
    # when one address signs in four times
    answers = [sign_in(username).status_code for _ in range(4)]
    # then the fourth is refused, saying when to come back, and makes no token
    assert answers == [201, 201, 201, 429]
    refused = sign_in(username)
    assert refused.json()["detail"].startswith("Request was throttled. Expected available in ")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert ApiToken.objects.filter(user=admin.user).count() == 3
    # and another address still signs in
    assert sign_in(username, address="198.51.100.20").status_code == 201


def test_throttled_guesses_are_not_even_tried(admin, throttle_rates):
    # given a rate of 2 sign-ins a minute
    throttle_rates(auth_token="2/min")
    # when someone guesses a password five times from one address
    answers = [sign_in(admin.user.username, password=f"guess-{n}").status_code for n in range(5)]
    # then only the first two reach the password check (and count as failures)
    assert answers == [400, 400, 429, 429, 429]
    assert AccessAttempt.objects.get(username=admin.user.username).failures_since_start == 2


def test_a_client_cannot_choose_its_address_behind_the_proxy(admin, throttle_rates, settings):
    # given one proxy in front, which appends the address it sees to X-Forwarded-For
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    throttle_rates(auth_token="2/min")
    # when a client sends a new made-up address with each request
    answers = [
        sign_in(admin.user.username, address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7")
        for n in range(3)
    ]
    # then it is counted by the address the proxy saw
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    # and a client elsewhere is counted apart
    elsewhere = sign_in(admin.user.username, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert elsewhere.status_code == 201


def test_every_other_endpoint_is_limited_per_user(admin, member_of, throttle_rates):
    # given a rate of 2 requests a minute per user
    throttle_rates(user="2/min")
    client = client_for(admin)
    # when a user makes three requests
    answers = [client.get("/api/v1/tokens/").status_code for _ in range(3)]
    # then the third is refused, and another user is counted apart
    assert answers == [200, 200, 429]
    assert client_for(member_of("viewer")).get("/api/v1/orgs/").status_code == 200


def test_the_counts_are_kept_in_the_cache(admin, throttle_cache):
    # when someone signs in
    sign_in(admin.user.username)
    # then the request is counted in the throttles' cache, under the scope and the address
    assert len(throttle_cache.get("throttle_auth_token_127.0.0.1")) == 1
    # and outside these tests that cache is Django's (Redis when REDIS_URL is set)
    assert rest_framework.throttling.default_cache is default_cache


@pytest.mark.parametrize(
    ("value", "rate"),
    [
        ("5/second", "5/second"),
        ("120/min", "120/min"),
        (" 10/Hour ", "10/hour"),
        ("1000/day", "1000/day"),
        ("off", None),
    ],
)
def test_rates_come_from_the_environment(monkeypatch, value, rate):
    monkeypatch.setenv("EXECGAP_THROTTLE_TEST", value)
    assert throttle_rate("EXECGAP_THROTTLE_TEST", "60/min") == rate


def test_a_rate_not_set_is_the_default(monkeypatch):
    monkeypatch.delenv("EXECGAP_THROTTLE_TEST", raising=False)
    assert throttle_rate("EXECGAP_THROTTLE_TEST", "60/min") == "60/min"


@pytest.mark.parametrize("value", ["lots", "10", "10/fortnight", "-1/min", "ten/min", ""])
def test_a_bad_rate_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("EXECGAP_THROTTLE_TEST", value)
    with pytest.raises(ImproperlyConfigured, match="EXECGAP_THROTTLE_TEST must be a rate"):
        throttle_rate("EXECGAP_THROTTLE_TEST", "60/min")
