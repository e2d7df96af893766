"""What the rows of one generated organization are made from, and the choices the tables share.

Ids are assigned here (the first id of each table plus the row's index), so every link is known
before anything is written. Choices that several tables depend on (each person's team, each goal's
team) are drawn once, from their own seeded streams, so that a task's assignee can be one of the
people of its initiative's team.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from scoring.benchmark.shape import Shape

Row = tuple[Any, ...]
# Work on a goal is mostly done by the goal's home team, the rest by two partner teams.
HOME_TEAM_SHARE = 0.85


@dataclass(frozen=True)
class Plan:
    """What the rows of one organization are made from: its id, size, date D and first ids."""

    organization_id: int
    shape: Shape
    as_of: date
    moment: datetime  # created_at and updated_at of every row; "now" for the feedback times
    first_id: Mapping[str, int]
    seed: int = 0

    def rng(self, table: str) -> random.Random:
        return random.Random(f"{self.seed}:{table}")

    def id(self, table: str, index: int) -> int:
        return self.first_id[table] + index

    def days(self, offset: int) -> date:
        return self.as_of + timedelta(days=offset)

    def at(self, offset_days: int, seconds: int = 12 * 3600) -> datetime:
        return datetime.combine(self.days(offset_days), time(0), tzinfo=UTC) + timedelta(seconds=seconds)

    @cached_property
    def moment_text(self) -> str:
        return self.moment.isoformat()

    def bookkeeping(self, table: str, index: int) -> tuple[int, int, int, str, str]:
        return (self.id(table, index), self.organization_id, 1, self.moment_text, self.moment_text)

    @cached_property
    def person_teams(self) -> list[int]:
        """Each person's team (an index), shared by the people rows and their tasks' teams."""
        rng = self.rng("person_team")
        return [rng.randrange(self.shape.teams) for _ in range(self.shape.people)]

    @cached_property
    def team_members(self) -> list[list[int]]:
        """The people (indexes) of each team."""
        members: list[list[int]] = [[] for _ in range(self.shape.teams)]
        for person, team in enumerate(self.person_teams):
            members[team].append(person)
        return members

    @cached_property
    def objective_home_teams(self) -> list[int]:
        """The team (an index) that does each objective's work, whether or not the objective names it."""
        rng = self.rng("objective_team")
        return [rng.randrange(self.shape.teams) for _ in range(self.shape.objectives)]

    @cached_property
    def initiative_home_teams(self) -> list[int]:
        """The team that does each initiative's work, as for objectives."""
        rng = self.rng("initiative_team")
        return [rng.randrange(self.shape.teams) for _ in range(self.shape.initiatives)]

    def member_of(self, home: int | None, draw: Callable[[], float]) -> int:
        """A person (index) to work on a goal: mostly (HOME_TEAM_SHARE) one of its home team, else one
        of two partner teams; anyone for work with no goal (home None) or where a team is empty."""
        teams = self.shape.teams
        if home is not None and draw() >= HOME_TEAM_SHARE:
            home = (home + 1) % teams if draw() < 0.5 else (home + teams // 2) % teams
        members = self.team_members[home] if home is not None else []
        if members:
            return members[int(draw() * len(members))]
        return int(draw() * self.shape.people)

    def maybe_person(self, rng: random.Random, share: float) -> int | None:
        return self.id("person", rng.randrange(self.shape.people)) if rng.random() < share else None
