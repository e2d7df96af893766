"""Fetch: everything the calculation needs, in a handful of set-based queries.

Tasks are only ever aggregated (GROUP BY in the database) or picked by ORDER BY … LIMIT: an
organization of a million tasks is never pulled into Python row by row. The plan's nodes, people,
current allocations, check-in summaries and due feedback are small enough to load as rows. The
same ORM code runs on PostgreSQL and SQLite. Call inside `consistent_read()` so that every query
sees the same state of the organization.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, TruncDate

from execgap.models import Organization
from feedback.models import CheckIn, FeedbackItem
from objectives.models import Initiative, KeyResult, Objective
from resources.models import Person, Team
from scoring.drift_kept import drift_kept_fetch
from scoring.engine.adaptability import DUE_FIRST_DAY, DUE_KINDS, DUE_LAST_DAY
from scoring.engine.cascade import cascade_build
from scoring.engine.inputs import (
    AllocationRow,
    CheckInFacts,
    DriftFacts,
    FeedbackRow,
    InitiativeNode,
    KeyResultNode,
    ObjectiveNode,
    Parameters,
    PersonNode,
    ScoringInputs,
    TeamNode,
)
from scoring.fetch_drift import assignee_work_of_tasks
from scoring.fetch_staffing import counted_allocations
from scoring.fetch_tasks import start_of, task_groups_fetch, team_efforts_fetch
from scoring.nodes_kept import Kind, kept_or_read, node_marks_seen
from scoring.sql import hours_of, rows_of
from scoring.staffing_kept import staffing_kept_fetch
from scoring.task_sums_kept import task_sums_kept_fetch

# The task sums are hash aggregates over every task of the organization: with PostgreSQL's default
# 4 MB they spill to disk. JIT compilation costs more than it saves on queries of this size.
POSTGRESQL_READ_SETTINGS = ("SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off")

N = TypeVar("N", ObjectiveNode, KeyResultNode, InitiativeNode, TeamNode, PersonNode)

# Whether the reads run in one snapshot of their own (`consistent_read` outermost on PostgreSQL): what
# lets a worker use the plan's nodes it kept (`scoring.nodes_kept`).
_one_snapshot: ContextVar[bool] = ContextVar("one_snapshot", default=False)


@contextmanager
def consistent_read() -> Iterator[None]:
    """One transaction for all the reads; on PostgreSQL a REPEATABLE READ, READ ONLY snapshot.

    When the caller already holds a transaction, the reads simply join it.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                for statement in POSTGRESQL_READ_SETTINGS:
                    cursor.execute(statement)
        token = _one_snapshot.set(_one_snapshot.get() or (outermost and connection.vendor == "postgresql"))
        try:
            yield
        finally:
            _one_snapshot.reset(token)


def parameters_at(*, organization: Organization, as_of: date | None = None) -> Parameters:
    """The organization's parameters at D = `as_of`, or today's UTC date (no query)."""
    return Parameters(
        as_of=as_of or datetime.now(UTC).date(),
        activity_window_days=organization.activity_window_days,
        planning_horizon_days=organization.planning_horizon_days,
        checkin_cadence_days=organization.checkin_cadence_days,
        default_task_effort_hours=float(organization.default_task_effort_hours),
        spread_thin_allocations=organization.spread_thin_allocations,
    )


def parameters_fetch(*, organization_id: int, as_of: date) -> tuple[Parameters, datetime | None]:
    """The organization's parameters at D, and its `scores_changed_at` as this read sees it."""
    organization = Organization.objects.get(pk=organization_id)
    return parameters_at(organization=organization, as_of=as_of), organization.scores_changed_at


def check_in_facts_fetch(*, organization_id: int, as_of: date) -> CheckInFacts:
    """The latest check-in on or before D per item (key results fold into their objective) and author."""
    check_ins = CheckIn.objects.for_org(organization_id).filter(date__lte=as_of)
    objective_last: dict[int, date] = {}
    initiative_last: dict[int, date] = {}
    targets = (
        check_ins.values("objective_id", "initiative_id", "key_result__objective_id")
        .annotate(last=Max("date"))
        .values_list("objective_id", "initiative_id", "key_result__objective_id", "last")
        .order_by()
    )
    for objective_id, initiative_id, key_result_objective_id, last in rows_of(targets):
        objective = objective_id or key_result_objective_id
        if objective is not None:
            objective_last[objective] = max(last, objective_last.get(objective, last))
        elif initiative_id is not None:
            initiative_last[initiative_id] = last
    authors = (
        check_ins.filter(author__isnull=False)
        .values("author_id")
        .annotate(last=Max("date"))
        .values_list("author_id", "last")
        .order_by()
    )
    return CheckInFacts(
        objective_last=objective_last, initiative_last=initiative_last, author_last=dict(rows_of(authors))
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


OBJECTIVE_FIELDS = (
    *("id", "parent_id", "status", "priority_weight", "start_date", "end_date", "owner_id", "team_id"),
    "title",
)
INITIATIVE_FIELDS = (
    "id",
    "objective_id",
    "status",
    "end_date",
    "estimate_hours",
    "owner_id",
    "team_id",
    "title",
)


def objectives_fetch(*, organization_id: int) -> tuple[ObjectiveNode, ...]:
    return tuple(
        ObjectiveNode(id_, parent, status, float(weight), start, end, owner, team, title)
        for id_, parent, status, weight, start, end, owner, team, title in Objective.objects.for_org(
            organization_id
        )
        .order_by()
        .values_list(*OBJECTIVE_FIELDS)
    )


def allocations_fetch(*, organization_id: int, parameters: Parameters) -> tuple[AllocationRow, ...]:
    """The allocations to active initiatives that overlap [D, D + H − 1]: the only ones that count;
    each began on its start date, else on the UTC date it was created (both worked out by the
    database: a scenario reads a hundred thousand of them)."""
    allocations = counted_allocations(organization=organization_id, parameters=parameters).order_by()
    began = Coalesce("start_date", TruncDate("created_at", tzinfo=UTC))
    return tuple(
        AllocationRow(*row)
        for row in rows_of(
            allocations.values_list(
                "id",
                "person_id",
                "initiative_id",
                hours_of("hours_per_week"),
                "start_date",
                "end_date",
                began,
            )
        )
    )


def feedback_fetch(*, organization_id: int, as_of: date) -> tuple[FeedbackRow, ...]:
    """Blockers and risks created (as a UTC date) in [D − 89, D − 7]: the ones due an answer."""
    feedback = (
        FeedbackItem.objects.for_org(organization_id)
        .filter(
            kind__in=DUE_KINDS,
            created_at__gte=start_of(as_of - timedelta(days=DUE_FIRST_DAY)),
            created_at__lt=start_of(as_of - timedelta(days=DUE_LAST_DAY - 1)),
        )
        .order_by()
    )
    return tuple(
        FeedbackRow(id_, kind, created, acknowledged, resolved, status, text[:200])
        for id_, kind, created, acknowledged, resolved, status, text in feedback.values_list(
            "id", "kind", "created_at", "acknowledged_at", "resolved_at", "status", "text"
        )
    )


class InputSource(enum.Enum):
    """Where the sums come from. SUMS (every recompute): the task sums kept from the task tallies, and
    the staffing and the staffing drift summed in the database, each kept between recomputes. ROWS
    (the from-scratch reference the sums are checked against): the tasks themselves, and the
    allocation rows and the work per assignee summed by the engine in Python. The same numbers."""

    SUMS = "sums"
    ROWS = "rows"
    # The kept task tallies, and the allocation rows summed by the engine: what a what-if scenario
    # overlays its changes on (`scenarios.overlay`) before the same calculation. The staffing drift is
    # not read: the scenario computes it for the initiatives it touches, the rest cannot move.
    TALLIES_AND_ALLOCATIONS = "tallies_and_allocations"


@dataclass(frozen=True)
class PlanNodes:
    """The plan's nodes as a recompute reads them, in id order (the engine's order, `canonical`)."""

    objectives: tuple[ObjectiveNode, ...]
    key_results: tuple[KeyResultNode, ...]
    initiatives: tuple[InitiativeNode, ...]
    teams: tuple[TeamNode, ...]
    people: tuple[PersonNode, ...]


def plan_nodes_fetch(*, organization_id: int) -> PlanNodes:
    def by_id(rows: Iterable[N]) -> tuple[N, ...]:
        return tuple(sorted(rows, key=attrgetter("id")))

    return PlanNodes(
        objectives=by_id(objectives_fetch(organization_id=organization_id)),
        key_results=by_id(
            KeyResultNode(id_, objective, float(start), float(target), float(current), float(weight))
            for id_, objective, start, target, current, weight in KeyResult.objects.for_org(organization_id)
            .order_by()
            .values_list("id", "objective_id", "start_value", "target_value", "current_value", "weight")
        ),
        initiatives=by_id(
            InitiativeNode(id_, objective, status, end, _float(estimate), owner, team, title)
            for id_, objective, status, end, estimate, owner, team, title in rows_of(
                Initiative.objects.for_org(organization_id).order_by().values_list(*INITIATIVE_FIELDS)
            )
        ),
        teams=by_id(
            TeamNode(id_, parent, name)
            for id_, parent, name in Team.objects.for_org(organization_id)
            .order_by()
            .values_list("id", "parent_id", "name")
        ),
        people=by_id(
            PersonNode(id_, team, capacity, bool(active), name)
            for id_, team, capacity, active, name in rows_of(
                Person.objects.for_org(organization_id)
                .order_by()
                .values_list("id", "team_id", hours_of("weekly_capacity_hours"), "active", "name")
            )
        ),
    )


def scoring_inputs_fetch(
    *, organization_id: int, parameters: Parameters, source: InputSource = InputSource.SUMS
) -> ScoringInputs:
    """Everything `scores_calculate` needs; the team sums use the live chains of the objectives read.

    The plan's nodes and the check-in facts are the ones this worker kept where they are still the
    same (`scoring.nodes_kept`), and read otherwise; from ROWS (the reference), always read."""
    marks = node_marks_seen(
        organization_id=organization_id, one_snapshot=_one_snapshot.get() and source is not InputSource.ROWS
    )
    nodes = kept_or_read(
        organization_id=organization_id,
        kind=Kind.NODES,
        key=None if marks is None else marks[Kind.NODES],
        read=lambda: plan_nodes_fetch(organization_id=organization_id),
    )
    cascade = cascade_build(nodes.objectives, parameters.as_of)
    if source is not InputSource.ROWS:
        task_groups, team_efforts = task_sums_kept_fetch(
            organization_id=organization_id,
            parameters=parameters,
            objective_ids=frozenset(cascade.nodes),
            live_objective_ids=cascade.live,
            initiatives=nodes.initiatives,
            keep_key=None if marks is None else (marks[Kind.NODES], parameters.as_of),
        )
    else:
        task_groups = task_groups_fetch(organization_id=organization_id, parameters=parameters)
        team_efforts = team_efforts_fetch(
            organization_id=organization_id,
            parameters=parameters,
            objective_ids=frozenset(cascade.nodes),
            live_objective_ids=cascade.live,
        )
    return ScoringInputs(
        parameters=parameters,
        objectives=nodes.objectives,
        key_results=nodes.key_results,
        initiatives=nodes.initiatives,
        teams=nodes.teams,
        people=nodes.people,
        allocations=(
            allocations_fetch(organization_id=organization_id, parameters=parameters)
            if source is not InputSource.SUMS
            else ()
        ),
        staffing=(
            staffing_kept_fetch(organization_id=organization_id, parameters=parameters)
            if source is InputSource.SUMS
            else None
        ),
        drift=(
            drift_kept_fetch(organization_id=organization_id, parameters=parameters)
            if source is InputSource.SUMS
            else DriftFacts()  # a scenario computes the drift of the initiatives it touches
            if source is InputSource.TALLIES_AND_ALLOCATIONS
            else None
        ),
        assignee_work=(
            assignee_work_of_tasks(organization_id=organization_id, parameters=parameters)
            if source is InputSource.ROWS
            else ()
        ),
        task_groups=task_groups,
        team_efforts=team_efforts,
        # A check-in on a key result counts for the key result's objective: a node.
        check_ins=kept_or_read(
            organization_id=organization_id,
            kind=Kind.CHECK_INS,
            key=None if marks is None else (marks[Kind.NODES], marks[Kind.CHECK_INS], parameters.as_of),
            read=lambda: check_in_facts_fetch(organization_id=organization_id, as_of=parameters.as_of),
        ),
        feedback=feedback_fetch(organization_id=organization_id, as_of=parameters.as_of),
    )
