"""Sign-ups and password reset emails are limited per client address: a script cannot create accounts
by the thousand, probe which addresses have one, or flood an inbox."""

from __future__ import annotations

from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limiter's clock stands still: its windows end at a second of the hour of their own, and a
    test that ran across one would see its count start again."""
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1_800_000_000.0))


def _sign_up(client, n: int, address: str = "203.0.113.7"):
    return client.post(
        reverse("signup"),
        {
            "username": f"founder{n}",
            "email": f"founder{n}@example.com",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
        REMOTE_ADDR=address,
    )


def test_sign_ups_beyond_the_rate_are_refused_and_create_nothing(client, settings):
    # given a rate of two sign-ups an hour per address, both used
    settings.EXECGAP_SIGNUP_RATE = "2/h"
    for n in (1, 2):
        assert _sign_up(client, n).status_code == 302
        client.logout()
    # when the same address signs up a third time
    response = _sign_up(client, 3)
    # then it is told to wait, and no account is created
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.filter(username="founder3").exists()


def test_the_rate_is_counted_per_address(client, settings):
    # given an address that used its one sign-up
    settings.EXECGAP_SIGNUP_RATE = "1/h"
    assert _sign_up(client, 1).status_code == 302
    client.logout()
    # when another address signs up
    response = _sign_up(client, 2, address="198.51.100.4")
    # then it is not held back by the first
    assert response.status_code == 302


def test_reading_the_sign_up_page_is_not_counted(client, settings):
    # given a rate of one sign-up an hour
    settings.EXECGAP_SIGNUP_RATE = "1/h"
    # when the page is opened many times, then one sign-up is made
    for _ in range(5):
        assert client.get(reverse("signup"), REMOTE_ADDR="203.0.113.7").status_code == 200
    # then the sign-up still goes through
    assert _sign_up(client, 1).status_code == 302


def test_password_reset_emails_beyond_the_rate_are_not_sent(client, settings, member_of):
    # given a member with an email, and a rate of two reset requests an hour
    settings.EXECGAP_PASSWORD_RESET_RATE = "2/h"
    membership = member_of("member")
    address = {"email": membership.user.email}
    # when three resets are requested from one address
    statuses = [client.post(reverse("password_reset"), address).status_code for _ in range(3)]
    # then two emails are sent and the third request is refused
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2
