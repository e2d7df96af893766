"""Fixtures and helpers of the page tests: sign in as a role, build an organization's URL, count queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from execgap.models import Membership, Organization, Role

ROLES = tuple(Role)


def org_url(name: str, organization: Organization, *args: Any, **kwargs: Any) -> str:
    """The URL of an organization page: `org_url("health", org)`, `org_url("objective_detail", org, pk=3)`."""
    return reverse(name, kwargs={"org_slug": organization.slug, **kwargs}, args=args or None)


def query_count(client: Client, url: str, *, method: str = "get", data: Any = None, status: int = 200) -> int:
    """How many queries a request runs (asserting its status code first)."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    assert response.status_code == status, response.content[:2000]
    return len(queries)


@pytest.fixture
def signed_in(client: Client, member_of: Callable[..., Membership]) -> Callable[..., Membership]:
    """signed_in(role, organization=org, person=True): create that member and sign the client in as them."""

    def sign_in(
        role: Role | str, organization: Organization | None = None, *, person: bool = True
    ) -> Membership:
        membership = member_of(role, organization, person=person)
        client.force_login(membership.user)
        return membership

    return sign_in
