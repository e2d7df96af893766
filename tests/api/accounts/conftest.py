"""Fixtures of the account API tests: clients, and throttles that count in a cache of each test's own."""

import uuid
from collections.abc import Callable, Iterator

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from execgap import tokens
from execgap.models import Membership, Organization, Role

ROLES = (Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE, Role.ADMIN)
PASSWORD = "a-long-test-password"  # the factories' password


@pytest.fixture(autouse=True)
def throttle_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocMemCache]:
    """Each test counts requests from zero, in a cache no other test (or test process) shares.

    The shared cache would carry one test's requests into the next: the sign-in endpoint allows
    only a few a minute from one address, and every test client has the same address.
    """
    cache = LocMemCache(f"throttle-{uuid.uuid4()}", {})
    monkeypatch.setattr(SimpleRateThrottle, "cache", cache)
    yield cache
    cache.clear()


@pytest.fixture
def throttle_rates(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """throttle_rates(auth_token="2/min", ...): these rates for this test (REST framework reads its
    rates once, when it is imported, so a settings override alone would not reach it)."""

    def set_rates(**rates: str | None) -> None:
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates}
        )

    return set_rates


def client_for(membership: Membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def token_client(token: str) -> APIClient:
    """A client that sends `Authorization: Token <token>` with every request."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def new_token(user, name: str = "script", expires_in_days: int | None = None) -> tokens.CreatedToken:
    return tokens.token_create(user=user, name=name, expires_in_days=expires_in_days)


def org_url(organization: Organization, path: str = "") -> str:
    """`/api/v1/orgs/<slug>/<path>`."""
    return f"/api/v1/orgs/{organization.slug}/{path}"
