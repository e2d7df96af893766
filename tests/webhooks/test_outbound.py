"""Outbound safety: only public http(s) addresses, checked at each delivery, connected to as checked."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from execgap.models import Membership
from tests.webhooks.helpers import endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks.delivery import outbound
from webhooks.delivery.attempt import delivery_attempt
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_send_test


def _resolving_to(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    """Every host name resolves to `addresses` (a DNS answer the test chooses)."""

    def fake(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        family = socket.AF_INET6
        return [
            (family if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", fake)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.8", "172.16.4.4", "192.168.0.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
     "224.0.0.1", "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::"],
)  # fmt: skip
def test_a_name_resolving_to_a_non_public_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, settings: Any, address: str
) -> None:
    # given a host whose DNS answer includes a non-public address (beside a public one)
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    _resolving_to(monkeypatch, "93.184.215.14", address)

    # then the URL is refused, naming the address
    with pytest.raises(outbound.UnsafeURLError, match="public addresses"):
        outbound.resolve_checked("https://hooks.example.com/in")


def test_a_public_name_is_connected_to_at_the_address_checked(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    # given a host that resolves to a public address
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    _resolving_to(monkeypatch, "93.184.215.14")
    sent: list[httpx.Request] = []

    def record(self: Any, request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", record)

    # when a delivery posts to it
    answer = outbound.post("https://hooks.example.com/in", body=b"{}", headers={})

    # then the connection goes to the checked address, with the host in Host and in TLS SNI
    assert answer.status_code == 204
    (request,) = sent
    assert request.url.host == "93.184.215.14"
    assert request.headers["Host"] == "hooks.example.com"
    assert request.extensions["sni_hostname"] == "hooks.example.com"


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/", "file:///etc/passwd", "gopher://93.184.215.14/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(outbound.UnsafeURLError, match="Only http and https"):
        outbound.resolve_checked(url)


@pytest.mark.django_db(transaction=True)
def test_a_delivery_to_a_loopback_receiver_is_refused_with_the_setting_off(
    admin: Membership, receiver: Receiver, settings: Any
) -> None:
    # given an endpoint at the local receiver, registered while loopback was allowed
    endpoint = endpoint_for(admin, receiver.url, kinds=[])
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    # when a test event is sent
    delivery = webhook_send_test(actor=admin, endpoint=endpoint)

    # then nothing reached the receiver, and the delivery failed at once, saying why
    delivery.refresh_from_db()
    assert receiver.received == []
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 1, None)
    assert "loopback" in delivery.error
    assert delivery_attempt(delivery_id=delivery.pk) is None  # not retried
    assert WebhookDelivery.objects.count() == 1
