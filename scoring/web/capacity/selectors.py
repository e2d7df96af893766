"""Reads of the resources page: coverage per objective and initiative from the latest snapshot, and
each person's load over the current allocations (SCORING.md "Resources").

Coverage, demand and supply are the snapshot's. The load view reads the allocations counted at the
snapshot's date D (to active initiatives, overlapping [D, D + H − 1]) and applies the scoring
engine's own rule (`scoring.engine.resources.people_load`), so who is over capacity or spread
thin is decided exactly as the score decides it. Every read is a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from execgap.models import Organization
from execgap.web.charts import load_bar
from objectives.models import InitiativeStatus
from resources.models import Allocation, Person
from scoring.engine.cascade import Cascade
from scoring.engine.inputs import AllocationRow, Parameters, PersonNode
from scoring.engine.resources import PersonLoad, people_load
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot

Staffing = Literal["unstaffed", "under_covered", "covered", "no_initiative"]


def _percent(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


@dataclass(frozen=True)
class ObjectiveCoverageRow:
    score: ObjectiveScore
    depth: int

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.score.coverage)

    @property
    def staffing(self) -> Staffing:
        if self.score.active_initiatives == 0:
            return "no_initiative"
        return "covered" if self.score.coverage >= 1 else "under_covered"


@dataclass(frozen=True)
class InitiativeCoverageRow:
    score: InitiativeScore

    @property
    def coverage_percent(self) -> float | None:
        return _percent(self.score.coverage)

    @property
    def staffing(self) -> Staffing:
        if self.score.coverage >= 1:
            return "covered"
        return "unstaffed" if self.score.supply == 0 else "under_covered"


def objective_coverage(
    *, snapshot: ScoreSnapshot, team_ids: frozenset[int] | None = None
) -> list[ObjectiveCoverageRow]:
    """The snapshot's objectives in tree order (siblings by title), each with its depth among the rows
    shown. With `team_ids`, only the objectives of those teams. One query."""
    scores = ObjectiveScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot)
    if team_ids is not None:
        scores = scores.filter(objective__team_id__in=sorted(team_ids))
    rows = list(scores.select_related("objective", "objective__team").order_by("title", "id"))
    shown = {row.objective_id for row in rows if row.objective_id is not None}
    children: dict[int | None, list[ObjectiveScore]] = {}
    for row in rows:
        parent = row.parent_objective_id if row.parent_objective_id in shown else None
        children.setdefault(parent, []).append(row)
    ordered: list[ObjectiveCoverageRow] = []
    stack = [(row, 0) for row in reversed(children.get(None, []))]
    while stack:
        row, depth = stack.pop()
        ordered.append(ObjectiveCoverageRow(score=row, depth=depth))
        if row.objective_id is not None:
            stack.extend((child, depth + 1) for child in reversed(children.get(row.objective_id, [])))
    return ordered


def initiative_coverage(
    *, snapshot: ScoreSnapshot, team_ids: frozenset[int] | None = None
) -> list[InitiativeCoverageRow]:
    """The snapshot's active initiatives, least covered first (then the largest shortfall). With
    `team_ids`, those of the teams (their own team, else their objective's). One query."""
    scores = InitiativeScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot)
    if team_ids is not None:
        ids = sorted(team_ids)
        scores = scores.filter(
            Q(initiative__team_id__in=ids)
            | Q(initiative__team__isnull=True, initiative__objective__team_id__in=ids)
        )
    rows = scores.select_related("initiative", "initiative__objective")
    return sorted(
        (InitiativeCoverageRow(score=row) for row in rows),
        key=lambda row: (
            row.score.coverage,
            row.score.supply - row.score.demand,
            row.score.title,
            row.score.pk,
        ),
    )


def counted_allocations(*, organization: Organization, parameters: Parameters) -> QuerySet[Allocation]:
    """The allocations counted in load: to active initiatives, overlapping [D, D + H − 1] (an empty
    start started before D, an empty end is open-ended)."""
    return (
        Allocation.objects.for_org(organization)
        .filter(initiative__status=InitiativeStatus.ACTIVE)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=parameters.horizon_end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=parameters.as_of))
    )


@dataclass(frozen=True)
class PersonLoadRow:
    """A person's counted allocations and load (hours per week) against their weekly capacity."""

    person: Person
    allocations: list[Allocation]
    load: float
    capacity: float
    factor: float  # f_p: the share of each allocated hour that counts as supply
    over_capacity: bool
    spread_thin: bool

    @property
    def load_percent(self) -> float | None:
        return _percent(self.load / self.capacity) if self.capacity else None

    @property
    def bar(self) -> SafeString:
        return load_bar(self.load, self.capacity, self.person.name)

    @property
    def over_by(self) -> float:
        return max(0.0, self.load - self.capacity)

    @property
    def free(self) -> float:
        return max(0.0, self.capacity - self.load)


@dataclass(frozen=True)
class OffStrategyRow:
    allocation: Allocation
    hours: float  # hours_per_week × f_p
    reason: str


@dataclass(frozen=True)
class Capacity:
    people: list[PersonLoadRow]
    off_strategy: list[OffStrategyRow]

    @property
    def off_strategy_hours(self) -> float:
        return sum(row.hours for row in self.off_strategy)


def capacity_of(
    *,
    organization: Organization,
    parameters: Parameters,
    cascade: Cascade,
    team_ids: frozenset[int] | None = None,
) -> Capacity:
    """Every person (of `team_ids`, where given) with their load, over capacity first, then spread
    thin, then by name; and the counted allocations that serve no live objective. Two queries."""
    people = Person.objects.for_org(organization).select_related("team")
    if team_ids is not None:
        people = people.filter(team_id__in=sorted(team_ids))
    people_list = list(people)
    allocations = list(
        counted_allocations(organization=organization, parameters=parameters)
        .filter(person_id__in=[person.pk for person in people_list])
        .select_related("initiative", "initiative__objective", "person")
        .order_by("-hours_per_week", "id")
    )
    loads = people_load(
        people=[
            PersonNode(
                id=person.pk,
                team_id=person.team_id,
                weekly_capacity_hours=float(person.weekly_capacity_hours),
                active=person.active,
            )
            for person in people_list
        ],
        current=[_row_of(allocation) for allocation in allocations],
    )
    by_person: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_person.setdefault(allocation.person_id, []).append(allocation)

    rows = []
    for person in people_list:
        load = loads[person.pk]
        rows.append(
            PersonLoadRow(
                person=person,
                allocations=by_person.get(person.pk, []),
                load=load.load,
                capacity=load.capacity,
                factor=load.factor,
                over_capacity=load.over_capacity,
                spread_thin=load.allocations > parameters.spread_thin_allocations,
            )
        )
    rows.sort(
        key=lambda row: (
            not row.over_capacity,
            not row.spread_thin,
            row.person.name.casefold(),
            row.person.pk,
        )
    )
    return Capacity(people=rows, off_strategy=list(_off_strategy(allocations, loads, cascade)))


def _row_of(allocation: Allocation) -> AllocationRow:
    return AllocationRow(
        id=allocation.pk,
        person_id=allocation.person_id,
        initiative_id=allocation.initiative_id,
        hours_per_week=float(allocation.hours_per_week),
        start_date=allocation.start_date,
        end_date=allocation.end_date,
    )


def _off_strategy(
    allocations: Iterable[Allocation], loads: dict[int, PersonLoad], cascade: Cascade
) -> Iterable[OffStrategyRow]:
    """SCORING.md: counted allocations whose initiative has no objective or a chain that is not live,
    at hours_per_week × f_p."""
    for allocation in allocations:
        objective = allocation.initiative.objective
        if objective is None:
            reason = "Its initiative serves no objective."
        elif objective.pk not in cascade.live:
            reason = f"Its objective “{objective.title}” or one above it is not active."
        else:
            continue
        yield OffStrategyRow(
            allocation=allocation,
            hours=float(allocation.hours_per_week) * loads[allocation.person_id].factor,
            reason=reason,
        )
