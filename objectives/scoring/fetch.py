"""Fetch: everything the calculation needs, in a handful of set-based queries.

Tasks are only ever aggregated (GROUP BY in the database) or picked by ORDER BY … LIMIT: an
organization of a million tasks is never pulled into Python row by row. The plan's nodes, people,
current allocations, check-in summaries and due feedback are small enough to load as rows. The
same ORM code runs on PostgreSQL and SQLite. Call inside `consistent_read()` so that every query
sees the same state of the organization.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, DecimalField, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from execgap.models import Organization
from feedback.models import CheckIn, FeedbackItem
from objectives.models import (
    OPEN_TASK_STATUSES,
    Initiative,
    InitiativeStatus,
    KeyResult,
    Objective,
    Task,
    TaskStatus,
)
from objectives.scoring.adaptability import DUE_FIRST_DAY, DUE_KINDS, DUE_LAST_DAY
from objectives.scoring.inputs import (
    AllocationRow,
    CheckInFacts,
    FeedbackRow,
    InitiativeNode,
    KeyResultNode,
    ObjectiveNode,
    Parameters,
    PersonNode,
    ScoringInputs,
    TaskGroup,
    TeamNode,
)
from resources.models import Allocation, Person, Team

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _ScopeAnnotations(TypedDict):
        effort: Decimal
        effective_team: int | None
        resolved_objective: int | None

    ScopedTasks = QuerySet[WithAnnotations[Task, _ScopeAnnotations]]

OPEN = [str(status) for status in OPEN_TASK_STATUSES]
DONE = str(TaskStatus.DONE)


@contextmanager
def consistent_read() -> Iterator[None]:
    """One transaction for all the reads; on PostgreSQL a REPEATABLE READ, READ ONLY snapshot.

    When the caller already holds a transaction, the reads simply join it.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def start_of(day: date) -> datetime:
    """The first instant of a calendar day in UTC."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def effort_of(parameters: Parameters) -> Coalesce:
    """effort(t) = effort_hours, or E where that is empty (hours)."""
    default = Value(Decimal(str(parameters.default_task_effort_hours)))
    return Coalesce("effort_hours", default, output_field=DecimalField(max_digits=12, decimal_places=2))


def recently_done(parameters: Parameters) -> Q:
    """Done with `completed_at` (as a UTC date) in [D − W + 1, D]."""
    return Q(
        status=DONE,
        completed_at__gte=start_of(parameters.activity_start),
        completed_at__lt=start_of(parameters.as_of + timedelta(days=1)),
    )


def tasks_in_scope(*, organization_id: int, parameters: Parameters) -> ScopedTasks:
    """Open tasks and recently done ones, with `effort`, `effective_team` and `resolved_objective`."""
    return (
        Task.objects.for_org(organization_id)
        .filter(Q(status__in=OPEN) | recently_done(parameters))
        .annotate(
            effort=effort_of(parameters),
            effective_team=Coalesce("team_id", "assignee__team_id"),
            resolved_objective=Coalesce("objective_id", "initiative__objective_id"),
        )
    )


def parameters_fetch(*, organization_id: int, as_of: date) -> tuple[Parameters, datetime | None]:
    """The organization's parameters at D, and its `scores_changed_at` as this read sees it."""
    organization = Organization.objects.get(pk=organization_id)
    parameters = Parameters(
        as_of=as_of,
        activity_window_days=organization.activity_window_days,
        planning_horizon_days=organization.planning_horizon_days,
        checkin_cadence_days=organization.checkin_cadence_days,
        default_task_effort_hours=float(organization.default_task_effort_hours),
        spread_thin_allocations=organization.spread_thin_allocations,
    )
    return parameters, organization.scores_changed_at


def task_groups_fetch(*, organization_id: int, parameters: Parameters) -> tuple[TaskGroup, ...]:
    """One GROUP BY over the organization's non-cancelled tasks."""
    effort = effort_of(parameters)
    is_open = Q(status__in=OPEN)
    is_recent = recently_done(parameters)
    is_done = Q(status=DONE)
    rows = (
        Task.objects.for_org(organization_id)
        .filter(status__in=[*OPEN, DONE])
        .annotate(effective_team=Coalesce("team_id", "assignee__team_id"))
        .values("objective_id", "initiative_id", "effective_team")
        .annotate(
            open_effort=Sum(effort, filter=is_open),
            open_count=Count("pk", filter=is_open),
            recent_effort=Sum(effort, filter=is_recent),
            recent_count=Count("pk", filter=is_recent),
            done_effort=Sum(effort, filter=is_done),
            done_count=Count("pk", filter=is_done),
        )
        .order_by()
    )
    return tuple(
        TaskGroup(
            objective_id=row["objective_id"],
            initiative_id=row["initiative_id"],
            team_id=row["effective_team"],
            open_effort=float(row["open_effort"] or 0),
            open_count=row["open_count"],
            recent_done_effort=float(row["recent_effort"] or 0),
            recent_done_count=row["recent_count"],
            done_effort=float(row["done_effort"] or 0),
            done_count=row["done_count"],
        )
        for row in rows
    )


def check_in_facts_fetch(*, organization_id: int, as_of: date) -> CheckInFacts:
    """The latest check-in on or before D per item (key results fold into their objective) and author."""
    check_ins = CheckIn.objects.for_org(organization_id).filter(date__lte=as_of)
    objective_last: dict[int, date] = {}
    initiative_last: dict[int, date] = {}
    targets = (
        check_ins.values("objective_id", "initiative_id", "key_result__objective_id")
        .annotate(last=Max("date"))
        .order_by()
    )
    for row in targets:
        objective = row["objective_id"] or row["key_result__objective_id"]
        if objective is not None:
            objective_last[objective] = max(row["last"], objective_last.get(objective, row["last"]))
        elif row["initiative_id"] is not None:
            initiative_last[row["initiative_id"]] = row["last"]
    authors = check_ins.filter(author__isnull=False).values("author_id").annotate(last=Max("date")).order_by()
    return CheckInFacts(
        objective_last=objective_last,
        initiative_last=initiative_last,
        author_last={row["author_id"]: row["last"] for row in authors},
    )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


OBJECTIVE_FIELDS = (
    "id",
    "parent_id",
    "status",
    "priority_weight",
    "start_date",
    "end_date",
    "owner_id",
    "team_id",
    "title",
)


def scoring_inputs_fetch(*, organization_id: int, parameters: Parameters) -> ScoringInputs:
    as_of = parameters.as_of
    objectives = Objective.objects.for_org(organization_id).order_by()
    initiatives = Initiative.objects.for_org(organization_id).order_by()
    allocations = (
        Allocation.objects.for_org(organization_id)
        .filter(initiative__status=InitiativeStatus.ACTIVE)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=parameters.horizon_end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
        .order_by()
    )
    feedback = (
        FeedbackItem.objects.for_org(organization_id)
        .filter(
            kind__in=DUE_KINDS,
            created_at__gte=start_of(as_of - timedelta(days=DUE_FIRST_DAY)),
            created_at__lt=start_of(as_of - timedelta(days=DUE_LAST_DAY - 1)),
        )
        .order_by()
    )
    return ScoringInputs(
        parameters=parameters,
        objectives=tuple(
            ObjectiveNode(id_, parent, status, float(weight), start, end, owner, team, title)
            for id_, parent, status, weight, start, end, owner, team, title in objectives.values_list(
                *OBJECTIVE_FIELDS
            )
        ),
        key_results=tuple(
            KeyResultNode(id_, objective, float(start), float(target), float(current), float(weight))
            for id_, objective, start, target, current, weight in KeyResult.objects.for_org(organization_id)
            .order_by()
            .values_list("id", "objective_id", "start_value", "target_value", "current_value", "weight")
        ),
        initiatives=tuple(
            InitiativeNode(id_, objective, status, end, _float(estimate), owner, team, title)
            for id_, objective, status, end, estimate, owner, team, title in initiatives.values_list(
                "id", "objective_id", "status", "end_date", "estimate_hours", "owner_id", "team_id", "title"
            )
        ),
        teams=tuple(
            TeamNode(id_, parent, name)
            for id_, parent, name in Team.objects.for_org(organization_id)
            .order_by()
            .values_list("id", "parent_id", "name")
        ),
        people=tuple(
            PersonNode(id_, team, float(capacity), active, name)
            for id_, team, capacity, active, name in Person.objects.for_org(organization_id)
            .order_by()
            .values_list("id", "team_id", "weekly_capacity_hours", "active", "name")
        ),
        allocations=tuple(
            AllocationRow(id_, person, initiative, float(hours), start, end)
            for id_, person, initiative, hours, start, end in allocations.values_list(
                "id", "person_id", "initiative_id", "hours_per_week", "start_date", "end_date"
            )
        ),
        task_groups=task_groups_fetch(organization_id=organization_id, parameters=parameters),
        check_ins=check_in_facts_fetch(organization_id=organization_id, as_of=as_of),
        feedback=tuple(
            FeedbackRow(id_, kind, created, acknowledged, resolved, status, text[:200])
            for id_, kind, created, acknowledged, resolved, status, text in feedback.values_list(
                "id", "kind", "created_at", "acknowledged_at", "resolved_at", "status", "text"
            )
        ),
    )


TASK_DRIVER_FIELDS = ("id", "title", "effort", "effective_team", "status", "objective_id", "initiative_id")
NOT_ACTIVE_INITIATIVE = [str(status) for status in InitiativeStatus if status != InitiativeStatus.ACTIVE]


def task_drivers_fetch(
    *,
    organization_id: int,
    parameters: Parameters,
    objective_ids: frozenset[int],
    live_objective_ids: frozenset[int],
    limit: int = 10,
) -> dict[str, list[dict[str, Any]]]:
    """The largest orphan and misaligned tasks in scope (ORDER BY effort DESC LIMIT in the database).

    Misaligned: a resolved objective whose chain is not live (`live_objective_ids` are those that
    are), or an initiative that is not active. The shorter of the two objective lists is sent.
    """
    scope = tasks_in_scope(organization_id=organization_id, parameters=parameters)
    orphan = scope.filter(resolved_objective__isnull=True)
    not_live = objective_ids - live_objective_ids
    if len(live_objective_ids) <= len(not_live):
        chain_broken = ~Q(resolved_objective__in=sorted(live_objective_ids))
    else:
        chain_broken = Q(resolved_objective__in=sorted(not_live))
    misaligned = scope.filter(resolved_objective__isnull=False).filter(
        chain_broken | Q(initiative__status__in=NOT_ACTIVE_INITIATIVE)
    )
    return {
        "orphan_tasks": _largest(orphan, limit),
        "misaligned_tasks": _largest(misaligned, limit),
    }


def _largest(tasks: ScopedTasks, limit: int) -> list[dict[str, Any]]:
    rows = tasks.order_by("-effort", "id").values(*TASK_DRIVER_FIELDS)[:limit]
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "effort": float(row["effort"]),
            "team_id": row["effective_team"],
            "status": row["status"],
            "objective_id": row["objective_id"],
            "initiative_id": row["initiative_id"],
        }
        for row in rows
    ]
