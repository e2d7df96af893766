"""The client's address, as the trusted proxies in front of ExecGap report it.

`settings.NUM_PROXIES` proxies each append the address they received from to X-Forwarded-For, so
the client is the entry that many places from the end; anything before it was written by the
client and is not trusted. With no proxies, or no header, it is REMOTE_ADDR. This is the rule DRF's
throttles apply (`NUM_PROXIES`); django-axes uses this function, so lockouts and throttles agree.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.NUM_PROXIES
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")
