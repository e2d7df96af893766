"""Helpers and fixtures of the API tests of the resources and feedback apps (their conftests import them).

The organization "acme" has the team "Growth" (led by the lead that `client_as(Role.LEAD)`
makes) and the team "Platform", each with an initiative.
"""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from execgap.models import Membership, Organization, Role
from objectives.models import Initiative
from resources.models import Team
from tests.conftest import person_of
from tests.factories import InitiativeFactory, TeamFactory

ROLES = (Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE, Role.ADMIN)


def client_for(membership: Membership) -> APIClient:
    client = APIClient()
    client.force_authenticate(membership.user)
    return client


def url(organization: Organization, path: str) -> str:
    """`/api/v1/orgs/<slug>/<path>`."""
    return f"/api/v1/orgs/{organization.slug}/{path}"


@pytest.fixture
def growth(org: Organization) -> Team:
    return TeamFactory(organization=org, name="Growth")


@pytest.fixture
def platform(org: Organization) -> Team:
    return TeamFactory(organization=org, name="Platform")


@pytest.fixture
def growth_initiative(org: Organization, growth: Team) -> Initiative:
    return InitiativeFactory(organization=org, title="Self-serve onboarding", team=growth)


@pytest.fixture
def platform_initiative(org: Organization, platform: Team) -> Initiative:
    return InitiativeFactory(organization=org, title="Faster builds", team=platform)


@pytest.fixture
def member_as(member_of: Callable[..., Membership], growth: Team) -> Callable[[Role], Membership]:
    """member_as(role): a member of "acme" with that role and a person record; a lead leads "Growth"."""

    def make(role: Role) -> Membership:
        membership = member_of(role)
        if role == Role.LEAD:
            growth.lead = person_of(membership)
            growth.save()
        return membership

    return make


@pytest.fixture
def client_as(member_as: Callable[[Role], Membership]) -> Callable[[Role], APIClient]:
    """client_as(role): an API client signed in as a new member with that role (see `member_as`)."""
    return lambda role: client_for(member_as(role))
