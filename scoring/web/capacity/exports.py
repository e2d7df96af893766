"""The resources page's tables as CSV (`execgap.web.export`), filtered by team (and the initiatives by
objective) as the page is: coverage by objective (in tree order) and by initiative (worst first) and
the staffing drift from the latest snapshot, the people who matter first and the off-strategy
allocations from the allocations counted at its date; and the capacity cut line's ranking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
from resources.models import Person
from scoring.cut_line import cut_line_read
from scoring.engine.inputs import Parameters
from scoring.models import ScoreSnapshot
from scoring.selectors import snapshot_latest
from scoring.web.alignment.selectors import cascade_at, snapshot_parameters, team_subtree
from scoring.web.capacity.drift import DRIFT_ORDER, initiative_drift
from scoring.web.capacity.forms import ResourcesFilterForm
from scoring.web.capacity.loads import (
    OffStrategyRow,
    off_strategy_ranked,
    off_strategy_rows,
    people_ranked,
)
from scoring.web.capacity.selectors import (
    INITIATIVE_ORDER,
    InitiativeCoverageRow,
    ObjectiveCoverageRow,
    initiative_coverage,
    initiative_rows,
    objective_coverage_rows,
    objective_outline,
)


@dataclass(frozen=True)
class _Filtered:
    """What the page's filters select: the team's subtree (None: every team), the objective, and the
    snapshot and parameters the page reads; or why the filters cannot be read."""

    team_ids: frozenset[int] | None
    objective: Any
    snapshot: ScoreSnapshot | None
    parameters: Parameters
    error: str = ""


def _filtered(request: OrgRequest) -> _Filtered:
    organization = request.org.organization
    filters = ResourcesFilterForm(request.GET or None, org=request.org)
    snapshot = snapshot_latest(organization=organization)
    parameters = snapshot_parameters(organization=organization, snapshot=snapshot)
    if filters.is_bound and not filters.is_valid():
        error = " ".join(str(message) for messages in filters.errors.values() for message in messages)
        return _Filtered(None, None, snapshot, parameters, error=error)
    cleaned = filters.cleaned_data if filters.is_bound else {}
    return _Filtered(team_subtree(cleaned.get("team")), cleaned.get("objective"), snapshot, parameters)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _objectives(request: OrgRequest) -> TableRows:
    found = _filtered(request)
    if found.error or found.snapshot is None:
        return TableRows([], error=found.error, subject="coverage")
    snapshot = found.snapshot

    def prepare(order: list[tuple[int, int]]) -> list[ObjectiveCoverageRow]:
        return objective_coverage_rows(snapshot=snapshot, page=order)

    outline = objective_outline(snapshot=snapshot, team_ids=found.team_ids)
    return TableRows(outline.order, prepare=prepare, subject="coverage")


COVERAGE_BY_OBJECTIVE = CsvTable(
    "by-objective",
    (
        Column("Objective", lambda row: row.score.title),
        Column("Level", lambda row: row.depth + 1),
        Column("Status", lambda row: row.score.status),
        Column("Active initiatives", lambda row: row.score.active_initiatives),
        Column("Coverage (%)", lambda row: _percent(row.score.coverage)),
        Column("Hours needed", lambda row: _round(row.score.demand)),
        Column("Hours covered", lambda row: _round(row.score.covered)),
        Column("Staffing", lambda row: row.staffing.replace("_", " ")),
    ),
    _objectives,
)


def _initiatives(request: OrgRequest) -> TableRows:
    found = _filtered(request)
    if found.error or found.snapshot is None:
        return TableRows([], error=found.error, subject="coverage")
    subtree = None
    if found.objective is not None:
        outline = objective_outline(snapshot=found.snapshot, team_ids=found.team_ids)
        subtree = outline.subtree(found.objective.pk)
    scores = initiative_coverage(snapshot=found.snapshot, team_ids=found.team_ids, objective_ids=subtree)
    return TableRows(scores, order=INITIATIVE_ORDER, prepare=initiative_rows, subject="coverage")


def _objective_of(row: InitiativeCoverageRow) -> str:
    initiative = row.score.initiative
    return initiative.objective.title if initiative is not None and initiative.objective is not None else ""


COVERAGE_BY_INITIATIVE = CsvTable(
    "by-initiative",
    (
        Column("Initiative", lambda row: row.score.title),
        Column("Objective", _objective_of),
        Column("Ends", lambda row: row.score.end_date),
        Column("Coverage (%)", lambda row: _percent(row.score.coverage)),
        Column("Hours needed", lambda row: _round(row.score.demand)),
        Column("Hours staffed", lambda row: _round(row.score.supply)),
        Column("Surplus (hours)", lambda row: _round(row.score.surplus)),
        Column("Staffing", lambda row: row.staffing.replace("_", " ")),
    ),
    _initiatives,
)


def _drift(request: OrgRequest) -> TableRows:
    found = _filtered(request)
    if found.error or found.snapshot is None:
        return TableRows([], error=found.error, subject="staffing")
    return TableRows(
        initiative_drift(snapshot=found.snapshot, team_ids=found.team_ids),
        order=DRIFT_ORDER,
        subject="staffing",
    )


STAFFING_DRIFT = CsvTable(
    "drift",
    (
        Column("Initiative", lambda score: score.title),
        Column("Unplanned effort (hours)", lambda score: _round(score.unplanned_effort)),
        Column("People working on it unallocated", lambda score: score.drift_unallocated_people),
        Column("People allocated without work", lambda score: score.drift_idle_people),
        Column("Idle allocations", lambda score: score.drift_idle_allocations),
        Column("Idle hours per week", lambda score: _round(score.drift_idle_hours)),
    ),
    _drift,
)


def _people(request: OrgRequest) -> TableRows:
    found = _filtered(request)
    if found.error:
        return TableRows([], error=found.error, subject="people")
    organization = request.org.organization

    ranked, _ = people_ranked(
        organization=organization, parameters=found.parameters, team_ids=found.team_ids, limit=None
    )

    spread = found.parameters.spread_thin_allocations

    def prepare(chunk: list[tuple[int, float, int]]) -> list[PersonLoadLine]:
        people = Person.objects.for_org(organization).filter(pk__in=[person_id for person_id, _, _ in chunk])
        found_people = {
            row[0]: row
            for row in people.values_list("pk", "name", "team__name", "weekly_capacity_hours", "active")
        }
        return [
            PersonLoadLine(
                name=person[1], team=person[2] or "", load=load, capacity=float(person[3]),
                allocations=allocations, spread_thin=allocations > spread, active=person[4],
            )
            for person_id, load, allocations in chunk
            if (person := found_people.get(person_id)) is not None  # else deleted between the two reads
        ]  # fmt: skip

    return TableRows(ranked, prepare=prepare, subject="people")


@dataclass(frozen=True)
class PersonLoadLine:
    """A person's line of the load download: the ranking's load and counted allocations (the page's
    numbers, `people_ranked`), without reading the allocations themselves."""

    name: str
    team: str
    load: float
    capacity: float
    allocations: int
    spread_thin: bool
    active: bool

    @property
    def load_percent(self) -> float | None:
        return 100.0 * self.load / self.capacity if self.capacity else None

    @property
    def over_capacity(self) -> bool:
        return self.load > self.capacity  # as SCORING.md's load_p against capacity_p

    @property
    def unallocated(self) -> bool:
        return self.active and not self.allocations


PEOPLE_LOAD = CsvTable(
    "load",
    (
        Column("Person", lambda row: row.name),
        Column("Team", lambda row: row.team),
        Column("Load (hours per week)", lambda row: _round(row.load)),
        Column("Capacity (hours per week)", lambda row: _round(row.capacity)),
        Column("Load (%)", lambda row: _round(row.load_percent)),
        Column("Allocations", lambda row: row.allocations),
        Column("Over capacity", lambda row: row.over_capacity),
        Column("Spread thin", lambda row: row.spread_thin),
        Column("Unallocated", lambda row: row.unallocated),
    ),
    _people,
)


def _off_strategy(request: OrgRequest) -> TableRows:
    found = _filtered(request)
    if found.error:
        return TableRows([], error=found.error, subject="off-strategy")
    organization = request.org.organization
    cascade = cascade_at(organization=organization, parameters=found.parameters)

    ranked, _, _ = off_strategy_ranked(
        organization=organization, parameters=found.parameters, cascade=cascade, team_ids=found.team_ids,
        limit=None,
    )  # fmt: skip

    def prepare(ranked: list[tuple[int, float]]) -> list[OffStrategyRow]:
        return off_strategy_rows(organization=organization, ranked=(ranked, len(ranked), 0.0)).rows

    return TableRows(ranked, prepare=prepare, subject="off-strategy")


OFF_STRATEGY = CsvTable(
    "allocations",
    (
        Column("Person", lambda row: row.allocation.person.name),
        Column("Initiative", lambda row: row.allocation.initiative.title),
        Column("Hours per week counted", lambda row: _round(row.hours)),
        Column("Why it is off strategy", lambda row: row.reason),
    ),
    _off_strategy,
)


def _cut_line(request: OrgRequest) -> TableRows:
    """The whole ranking (`cut_line_read` ranks every candidate in memory: initiatives are thousands)."""
    return TableRows(cut_line_read(organization=request.org.organization).entries, subject="cut line")


CUT_LINE = CsvTable(
    "ranking",
    (
        Column("Rank", lambda entry: entry.rank),
        Column("Initiative", lambda entry: entry.title),
        Column("Status", lambda entry: entry.status),
        Column("Objective", lambda entry: entry.objective_title),
        Column("Priority (%)", lambda entry: _percent(entry.priority)),
        Column("Ends", lambda entry: entry.end_date),
        Column("Needed (hours)", lambda entry: _round(entry.demand)),
        Column("Running total (hours)", lambda entry: _round(entry.cumulative_demand)),
        Column("Fits", lambda entry: entry.above_line),
    ),
    _cut_line,
)
