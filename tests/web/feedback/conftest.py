"""Data of the feedback page tests: a team with its lead, and another team with its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from execgap.models import Membership, Organization, Role
from feedback.models import FeedbackItem
from objectives.models import Initiative
from resources.models import Person, Team
from tests.conftest import person_of
from tests.factories import FeedbackItemFactory, InitiativeFactory, TeamFactory


@dataclass
class TeamSetup:
    team: Team
    lead: Membership
    initiative: Initiative


def make_team(member_of, organization: Organization, name: str) -> TeamSetup:
    """A team led by a new lead (a person of the team), with one active initiative."""
    lead = member_of(Role.LEAD, organization)
    team = TeamFactory(organization=organization, name=name, lead=person_of(lead))
    return TeamSetup(team=team, lead=lead, initiative=InitiativeFactory(organization=organization, team=team))


@pytest.fixture
def team(member_of, org) -> TeamSetup:
    return make_team(member_of, org, "Platform")


@pytest.fixture
def other_team(member_of, org) -> TeamSetup:
    return make_team(member_of, org, "Payments")


def blocker_on(setup: TeamSetup, author: Person | None = None, **fields) -> FeedbackItem:
    """An open blocker about the team's initiative."""
    return FeedbackItemFactory(
        organization=setup.team.organization, initiative=setup.initiative, author=author, **fields
    )
