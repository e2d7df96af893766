"""The plan forms' world: two teams, a lead of the first, and a small plan in each team."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.test import Client

from execgap.models import Membership, Organization, Role
from objectives.models import Initiative, KeyResult, Objective, Task
from resources.models import Team
from tests.conftest import person_of
from tests.factories import (
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TaskFactory,
    TeamFactory,
)

ROLES = tuple(Role)
PLAN_MANAGERS = (Role.ADMIN, Role.EXECUTIVE, Role.LEAD)


@pytest.fixture
def ours(org: Organization) -> Team:
    return TeamFactory(organization=org, name="Payments")


@pytest.fixture
def theirs(org: Organization) -> Team:
    return TeamFactory(organization=org, name="Search")


@pytest.fixture
def objective(org: Organization, ours: Team) -> Objective:
    return ObjectiveFactory(organization=org, team=ours, title="Grow revenue")


@pytest.fixture
def their_objective(org: Organization, theirs: Team) -> Objective:
    return ObjectiveFactory(organization=org, team=theirs, title="Faster search")


@pytest.fixture
def key_result(org: Organization, objective: Objective) -> KeyResult:
    return KeyResultFactory(organization=org, objective=objective, title="ARR")


@pytest.fixture
def initiative(org: Organization, objective: Objective, ours: Team) -> Initiative:
    return InitiativeFactory(organization=org, objective=objective, team=ours, title="Checkout revamp")


@pytest.fixture
def task(org: Organization, initiative: Initiative) -> Task:
    return TaskFactory(organization=org, initiative=initiative, title="Fix the cart")


@pytest.fixture
def sign_in_as(
    client: Client, signed_in: Callable[..., Membership], ours: Team
) -> Callable[[Role], Membership]:
    """sign_in_as(role): that member, signed in; a lead leads the team `ours`, the others are in no team."""

    def sign_in(role: Role) -> Membership:
        membership = signed_in(role)
        if role == Role.LEAD:
            ours.lead = person_of(membership)
            ours.save()
        return membership

    return sign_in


def last_revision(model: type[models.Model], pk: int) -> Any:
    """The newest plan-history record of the row `pk` of `model`."""
    return model.history.filter(id=pk).order_by("-history_id").first()  # type: ignore[attr-defined]
