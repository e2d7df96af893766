"""Endpoints for the webhook tests, and the verification recipe read from docs/WEBHOOKS.md itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from execgap.models import Membership
from webhooks.models import WebhookEndpoint
from webhooks.services import webhook_create

DOCS = Path(__file__).resolve().parents[2] / "docs" / "WEBHOOKS.md"


def documented_verify() -> Callable[..., bool]:
    """The `verify` function of the documentation's Python snippet, as a receiver would paste it."""
    snippet = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert snippet is not None
    namespace: dict[str, Any] = {}
    exec(snippet.group(1), namespace)  # the documented recipe, run as written
    return cast("Callable[..., bool]", namespace["verify"])


def endpoint_for(
    admin: Membership, url: str, kinds: list[str] | None = None, fmt: str = "json"
) -> WebhookEndpoint:
    return webhook_create(
        actor=admin,
        data={
            "url": url,
            "description": "Ops",
            "kinds": ["feedback.raised"] if kinds is None else kinds,
            "format": fmt,
        },
    )
