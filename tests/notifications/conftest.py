"""A small organization where notifications have someone to reach: Growth, led by Lena, with an
objective owned by Omar and a member, Mia, who raises blockers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from execgap.models import Membership, Role
from objectives.models import Objective
from resources.models import Team
from tests.conftest import person_of
from tests.factories import ObjectiveFactory, TeamFactory


@dataclass(frozen=True)
class Growth:
    team: Team
    objective: Objective
    lead: Membership
    owner: Membership
    member: Membership
    executive: Membership


@pytest.fixture
def growth(org, member_of) -> Growth:
    lead = member_of(Role.LEAD)
    owner = member_of(Role.MEMBER)
    member = member_of(Role.MEMBER)
    executive = member_of(Role.EXECUTIVE)
    for membership, email in (
        (lead, "lena@example.com"),
        (owner, "omar@example.com"),
        (member, "mia@example.com"),
    ):
        membership.user.email = email
        membership.user.save(update_fields=["email"])
    team = TeamFactory(organization=org, name="Growth", lead=person_of(lead))
    for membership in (lead, owner, member):
        person = person_of(membership)
        person.team = team
        person.save(update_fields=["team"])
    objective = ObjectiveFactory(organization=org, title="Grow self-serve", team=team, owner=person_of(owner))
    return Growth(team=team, objective=objective, lead=lead, owner=owner, member=member, executive=executive)


@pytest.fixture(autouse=True)
def _fresh_email_windows() -> None:
    """Each test starts with no batch window open (they are kept in the cache)."""
    cache.clear()
