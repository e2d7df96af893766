"""A small plan to draft scenarios on from the pages (D is today: the pages draft at today's date).

One live objective "Grow revenue" with two active initiatives: "Self-healing firmware" (90 h of open
work, nobody on it) and "Legacy console" (20 h of work, Ana Ruiz's 10 h a week: over-staffed); Ana
and Ben Ode have 40 h a week each. Every member the tests sign in is a person of the organization too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from execgap.celery import app as celery_app
from execgap.models import Membership, Organization
from scenarios.models import ChangeKind, Scenario
from scenarios.services import change_add, scenario_create
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory


@pytest.fixture(autouse=True)
def _jobs_in_process() -> Iterator[None]:
    """Evaluation jobs run in the request's process once it commits (Celery eager), with or without a
    broker in the environment: these tests are about the pages, the worker has its own."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def plan(org: Organization) -> SimpleNamespace:
    p = SimpleNamespace(org=org)
    p.objective = ObjectiveFactory(organization=org, title="Grow revenue", status="active")
    p.firmware = InitiativeFactory(
        organization=org, objective=p.objective, title="Self-healing firmware", status="active"
    )
    p.console = InitiativeFactory(
        organization=org, objective=p.objective, title="Legacy console", status="active"
    )
    p.task = TaskFactory(
        organization=org,
        initiative=p.firmware,
        title="Watchdog reboot",
        effort_hours=Decimal(90),
        status="todo",
    )
    TaskFactory(organization=org, initiative=p.console, effort_hours=Decimal(20), status="todo")
    p.ana = PersonFactory(organization=org, name="Ana Ruiz", weekly_capacity_hours=Decimal(40))
    p.ben = PersonFactory(organization=org, name="Ben Ode", weekly_capacity_hours=Decimal(40))
    p.allocation = AllocationFactory(
        organization=org, person=p.ana, initiative=p.console, hours_per_week=Decimal(10)
    )
    return p


def move_data(plan: SimpleNamespace, hours: str = "4") -> dict[str, Any]:
    return {
        "kind": ChangeKind.HOURS_MOVE,
        "target_id": plan.allocation.pk,
        "values": {"initiative": plan.firmware.pk, "hours_per_week": hours, "into": None},
    }


@pytest.fixture
def drafted(plan: SimpleNamespace) -> Callable[..., Scenario]:
    """drafted(actor, name="Staff firmware", changes=1): a scenario with `changes` changes: a move of
    1 h of Ana's to firmware, then each a capacity of Ben's (a second move to firmware would allocate
    Ana there twice at once, which a scenario refuses)."""

    def make(actor: Membership, name: str = "Staff firmware", changes: int = 1) -> Scenario:
        scenario = scenario_create(actor=actor, data={"name": name})
        for number in range(changes):
            data = (
                move_data(plan, "1")
                if number == 0
                else {
                    "kind": ChangeKind.PERSON_CHANGE,
                    "target_id": plan.ben.pk,
                    "values": {"weekly_capacity_hours": str(40 - number)},
                }
            )
            change_add(actor=actor, scenario=scenario, data=data)
        scenario.refresh_from_db()
        return scenario

    return make
