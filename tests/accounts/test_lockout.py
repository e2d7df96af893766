"""Failed sign-ins lock one username from one address, and one username from any addresses: made-up
X-Forwarded-For addresses (or real new ones) do not dodge the lockout, and the account's owner hears."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.factories import UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def sign_in(username: str, password: str, *, address: str, forwarded: str = "") -> int:
    client = Client(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)
    response = client.post(LOGIN, {"username": username, "password": password})
    return int(response.status_code)


@pytest.mark.django_db
def test_no_proxy_is_trusted_unless_configured():
    # then, unless DJANGO_NUM_PROXIES says otherwise, X-Forwarded-For is not believed
    assert settings.NUM_PROXIES == 0


@pytest.mark.django_db
def test_made_up_forwarded_addresses_do_not_dodge_the_lockout():
    # given an account, and no trusted proxy (the default)
    owner = UserFactory(username="ceo", email="ceo@example.com")
    # when one client fails AXES_FAILURE_LIMIT + 2 times, each time claiming another address
    answers = [
        sign_in("ceo", "wrong", address="203.0.113.9", forwarded=f"198.51.100.{n}")
        for n in range(settings.AXES_FAILURE_LIMIT + 2)
    ]
    # then the failures after the limit are refused as locked out, and so is the right password
    assert answers[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(answers[settings.AXES_FAILURE_LIMIT :]) == {429}
    assert sign_in("ceo", "a-long-test-password", address="203.0.113.9") == 429
    # and the owner got one email saying so
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "locked" in mail.outbox[0].subject


@pytest.mark.django_db
def test_failures_on_one_username_from_many_addresses_lock_the_account(settings):
    # given ExecGap behind one trusted proxy, whose reported addresses are all different
    settings.NUM_PROXIES = 1
    UserFactory(username="cfo", email="cfo@example.com")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in("cfo", "wrong", address="10.0.0.1", forwarded=f"198.51.100.{n}")
    # when the right password comes from yet another address, then the account is still locked
    assert sign_in("cfo", "a-long-test-password", address="10.0.0.1", forwarded="192.0.2.77") == 429
    assert len(mail.outbox) == 1
    # and another account, from the same addresses, is not
    UserFactory(username="coo", email="coo@example.com")
    assert sign_in("coo", "a-long-test-password", address="10.0.0.1", forwarded="198.51.100.1") == 302


@pytest.mark.django_db
def test_an_unknown_username_locks_but_mails_nobody():
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in("nobody", "wrong", address=f"203.0.113.{n}")
    assert mail.outbox == []
