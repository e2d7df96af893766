"""Data of the team page tests: a team led by a lead, with a member, tasks, goals and an initiative."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Membership, Organization, Role
from objectives.models import Initiative, Objective, Task
from resources.models import Person, Team
from scoring.models import InitiativeScore, ScoreSnapshot, TeamScore
from tests.conftest import person_of
from tests.factories import InitiativeFactory, ObjectiveFactory, TaskFactory, TeamFactory


@dataclass
class TeamSetup:
    team: Team
    lead: Membership
    member: Membership
    objective: Objective
    initiative: Initiative
    tasks: list[Task]

    @property
    def lead_person(self) -> Person:
        return person_of(self.lead)

    @property
    def member_person(self) -> Person:
        return person_of(self.member)


@pytest.fixture
def team_setup(org: Organization, member_of: Callable[..., Membership]) -> Callable[..., TeamSetup]:
    """team_setup(tasks=3): a team of `org` whose lead and member are its people, an active objective
    and initiative of the team, and unlinked tasks of the team (the first assigned to the member)."""

    def make(tasks: int = 3, name: str = "Platform") -> TeamSetup:
        lead, member = member_of(Role.LEAD), member_of(Role.MEMBER)
        team = TeamFactory(organization=org, name=name, lead=person_of(lead))
        for membership in (lead, member):
            Person.objects.filter(pk=person_of(membership).pk).update(team=team)
        objective = ObjectiveFactory(organization=org, team=team, title=f"{name} objective")
        initiative = InitiativeFactory(
            organization=org, team=team, objective=objective, title=f"{name} initiative"
        )
        rows = [
            TaskFactory(
                organization=org, team=team, title=f"{name} task {n}",
                assignee=person_of(member) if n == 0 else None,
            )
            for n in range(tasks)
        ]  # fmt: skip
        return TeamSetup(team, lead, member, objective, initiative, rows)

    return make


def snapshot_with_coverage(
    organization: Organization, coverage: dict[Initiative, float], alignment: dict[Team, float] | None = None
) -> ScoreSnapshot:
    """A stored snapshot whose initiative rows say each initiative's coverage (demand 100 h), and whose
    team rows say each team's alignment (of 40 h of work)."""
    now = timezone.now()
    snapshot = ScoreSnapshot.objects.create(
        organization=organization, as_of=now.date(), computed_at=now, started_at=now,
        activity_window_days=28, planning_horizon_days=90, checkin_cadence_days=14,
        default_task_effort_hours=Decimal(4), spread_thin_allocations=3,
    )  # fmt: skip
    InitiativeScore.objects.bulk_create(
        InitiativeScore(
            snapshot=snapshot,
            organization=organization,
            initiative=initiative,
            title=initiative.title,
            end_date=now.date(),
            days_left=30,
            window_days=28,
            remaining=100,
            demand=100,
            supply=100 * share,
            coverage=share,
        )
        for initiative, share in coverage.items()
    )
    TeamScore.objects.bulk_create(
        TeamScore(
            snapshot=snapshot,
            organization=organization,
            team=team,
            name=team.name,
            score=score,
            aligned_effort=40 * score / 100,
            total_effort=40,
        )
        for team, score in (alignment or {}).items()
    )
    return snapshot
