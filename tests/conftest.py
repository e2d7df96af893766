import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import SimpleRateThrottle

from execgap.models import Membership, Organization, Role
from resources.models import Person
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    """Pages render without a collectstatic manifest (production serves the hashed, compressed files)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Test users need no slow key derivation (production keeps Django's default hashers)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _throttle_counts_per_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with fresh request counts (the test command's cache is Redis, shared by all)."""
    monkeypatch.setattr(SimpleRateThrottle, "cache", LocMemCache(f"throttle-{uuid.uuid4()}", {}))


@pytest.fixture(autouse=True)
def _rate_limits_per_test(settings: Any) -> None:
    """Each test starts with fresh sign-up and password-reset counts (django-ratelimit's keys)."""
    settings.RATELIMIT_CACHE_PREFIX = f"rl-{uuid.uuid4()}:"


@pytest.fixture
def org() -> Organization:
    return OrganizationFactory(slug="acme", name="Acme")


@pytest.fixture
def other_org() -> Organization:
    return OrganizationFactory(slug="globex", name="Globex")


@pytest.fixture
def member_of(org: Organization) -> Callable[..., Membership]:
    """member_of(role, organization=org, person=True): a user with that role, and their person record."""

    def make(
        role: Role | str, organization: Organization | None = None, *, person: bool = True
    ) -> Membership:
        organization = organization or org
        membership = MembershipFactory(organization=organization, role=role)
        if person:
            PersonFactory(organization=organization, user=membership.user, name=membership.user.username)
        return membership

    return make


@pytest.fixture
def admin(member_of: Callable[..., Membership]) -> Membership:
    return member_of(Role.ADMIN)


@pytest.fixture
def executive(member_of: Callable[..., Membership]) -> Membership:
    return member_of(Role.EXECUTIVE)


def person_of(membership: Membership) -> Person:
    return Person.objects.for_org(membership.organization_id).get(user=membership.user)
