"""The organization "acme" an import lands in: two teams, goals, two people (and a lead of Growth)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from execgap.models import Membership, Organization, Role
from objectives.models import Initiative, Objective
from resources.models import Person, Team
from tests.conftest import person_of
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TeamFactory


@dataclass
class Plan:
    growth: Team
    platform: Team
    grow_revenue: Objective
    checkout: Initiative
    faster_builds: Initiative
    ada: Person
    grace: Person
    foreign_initiative: Initiative  # another organization's "Payments platform"


@pytest.fixture
def plan(org: Organization, other_org: Organization) -> Plan:
    growth = TeamFactory(organization=org, name="Growth")
    platform = TeamFactory(organization=org, name="Platform")
    grow_revenue = ObjectiveFactory(organization=org, title="Grow revenue", team=growth)
    return Plan(
        growth=growth,
        platform=platform,
        grow_revenue=grow_revenue,
        checkout=InitiativeFactory(
            organization=org, title="Checkout revamp", objective=grow_revenue, team=growth
        ),
        faster_builds=InitiativeFactory(organization=org, title="Faster builds", team=platform),
        ada=PersonFactory(organization=org, name="Ada Lovelace", email="ada@acme.test", team=growth),
        grace=PersonFactory(organization=org, name="Grace Hopper", email="grace@acme.test", team=platform),
        foreign_initiative=InitiativeFactory(organization=other_org, title="Payments platform"),
    )


@pytest.fixture
def importer(member_of: Callable[..., Membership], plan: Plan) -> Callable[[Role], Membership]:
    """importer(role): a member of "acme" with that role; a lead leads Growth."""

    def make(role: Role) -> Membership:
        membership = member_of(role)
        if role == Role.LEAD:
            plan.growth.lead = person_of(membership)
            plan.growth.save()
        return membership

    return make
