"""Outbound requests that reach only the public internet.

The host is resolved once, every address it resolves to is checked (loopback, private, link-local,
multicast, reserved and unspecified addresses are refused, IPv4-mapped IPv6 included), and the
request connects to the checked address (the URL's host travels in the Host header and TLS SNI),
so a DNS answer that changes between the check and the connection cannot redirect it. Redirects
are never followed. `EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES` lifts the address rule (development
and tests against a local receiver).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from django.conf import settings

ALLOWED_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURLError(Exception):
    """The URL may not be called: its message says why, in words for the admin who registered it."""


def _refused(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def resolve_checked(url: str) -> str:
    """The address to connect to for `url` (an IP literal), once the URL and every address of its
    host are found acceptable; raises UnsafeURLError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ALLOWED_SCHEMES:
        raise UnsafeURLError("Only http and https URLs can receive webhooks.")
    host = parts.hostname
    if not host:
        raise UnsafeURLError("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURLError("The URL's port is not a number from 0 to 65535.") from error
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeURLError(f"The host {host} could not be resolved.") from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    if not addresses:
        raise UnsafeURLError(f"The host {host} could not be resolved.")
    if not settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if _refused(address):
                raise UnsafeURLError(
                    f"The host {host} is a private, loopback, link-local or reserved address ({address}); "
                    "webhooks are sent only to public addresses."
                )
    return str(addresses[0])


class _PinnedTransport(httpx.HTTPTransport):
    """Connects to `address` whatever the URL's host resolves to now (the host stays in Host and SNI)."""

    def __init__(self, address: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.address = address

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        request.url = request.url.copy_with(host=self.address)
        request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)


@dataclass(frozen=True)
class Answer:
    status_code: int
    text: str


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url` through a checked address, without following redirects.

    Raises UnsafeURLError for a refused URL and httpx's errors for a failed connection or timeout.
    """
    address = resolve_checked(url)
    timeout = httpx.Timeout(
        settings.EXECGAP_WEBHOOK_READ_TIMEOUT_SECONDS,
        connect=settings.EXECGAP_WEBHOOK_CONNECT_TIMEOUT_SECONDS,
    )
    with httpx.Client(
        transport=_PinnedTransport(address), timeout=timeout, follow_redirects=False, trust_env=False
    ) as client:
        response = client.post(url, content=body, headers=headers)
        return Answer(status_code=response.status_code, text=response.text[:1024])
