"""The task queries of the fetch: sums grouped from the tasks, and the largest tasks by ORDER BY … LIMIT.

A recompute reads its sums from the kept tallies (`scoring.fetch_tallies`); the sums here count
the same from the tasks themselves (two scans), the reference the tallies are checked against. The
largest unaligned tasks (the drivers) are read here on every recompute, along the tasks' effort
index: a few short index walks, never a scan. Every result has at most as many rows as there are
objectives, initiatives or teams, never as many as tasks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from objectives.models import OPEN_TASK_STATUSES, InitiativeStatus, Task, TaskStatus
from scoring.engine.inputs import Parameters, TaskGroup, TeamEffort

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
ACTIVE = str(InitiativeStatus.ACTIVE)
NOT_ACTIVE = [str(status) for status in InitiativeStatus if status != InitiativeStatus.ACTIVE]


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


def chain_live(objective_ids: frozenset[int], live_objective_ids: frozenset[int]) -> Q:
    """The task's resolved objective has a live chain (sends the shorter of the two id lists)."""
    not_live = objective_ids - live_objective_ids
    if len(live_objective_ids) <= len(not_live):
        return Q(resolved_objective__in=sorted(live_objective_ids))
    return Q(resolved_objective__isnull=False) & ~Q(resolved_objective__in=sorted(not_live))


def aligned(objective_ids: frozenset[int], live_objective_ids: frozenset[int]) -> Q:
    """SCORING.md: a live chain, and no initiative or an active one (`alignment.task_class` in SQL)."""
    return chain_live(objective_ids, live_objective_ids) & (
        Q(initiative__isnull=True) | Q(initiative__status=ACTIVE)
    )


def unaligned(objective_ids: frozenset[int], live_objective_ids: frozenset[int]) -> Q:
    """Orphan (no resolved objective) or misaligned (a broken chain or an initiative not active)."""
    not_live = objective_ids - live_objective_ids
    if len(live_objective_ids) <= len(not_live):
        chain_broken = ~Q(resolved_objective__in=sorted(live_objective_ids))
    else:
        chain_broken = Q(resolved_objective__in=sorted(not_live))
    return (
        Q(resolved_objective__isnull=True)
        | chain_broken
        | Q(resolved_objective__isnull=False, initiative__status__in=NOT_ACTIVE)
    )


def task_groups_fetch(*, organization_id: int, parameters: Parameters) -> tuple[TaskGroup, ...]:
    """The non-cancelled tasks summed per (objective link, initiative link)."""
    effort = effort_of(parameters)
    is_open = Q(status__in=OPEN)
    is_recent = recently_done(parameters)
    is_done = Q(status=DONE)
    rows = (
        Task.objects.for_org(organization_id)
        .filter(status__in=[*OPEN, DONE])
        .values("objective_id", "initiative_id")
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
            open_effort=float(row["open_effort"] or 0),
            open_count=row["open_count"],
            recent_done_effort=float(row["recent_effort"] or 0),
            recent_done_count=row["recent_count"],
            done_effort=float(row["done_effort"] or 0),
            done_count=row["done_count"],
        )
        for row in sorted(rows, key=lambda row: (row["objective_id"] or 0, row["initiative_id"] or 0))
    )


def team_efforts_fetch(
    *,
    organization_id: int,
    parameters: Parameters,
    objective_ids: frozenset[int],
    live_objective_ids: frozenset[int],
) -> tuple[TeamEffort, ...]:
    """The tasks in scope summed per effective team, with their aligned and orphan parts and counts."""
    is_aligned = aligned(objective_ids, live_objective_ids)
    is_orphan = Q(resolved_objective__isnull=True)
    rows = (
        tasks_in_scope(organization_id=organization_id, parameters=parameters)
        .values("effective_team")
        .annotate(
            total=Sum("effort"),
            aligned=Sum("effort", filter=is_aligned),
            orphan=Sum("effort", filter=is_orphan),
            tasks=Count("pk"),
            aligned_tasks=Count("pk", filter=is_aligned),
            orphan_tasks=Count("pk", filter=is_orphan),
        )
        .order_by()
    )
    return tuple(
        TeamEffort(
            team_id=row["effective_team"],
            aligned_effort=float(row["aligned"] or 0),
            total_effort=float(row["total"] or 0),
            orphan_effort=float(row["orphan"] or 0),
            orphan_tasks=row["orphan_tasks"],
            misaligned_tasks=row["tasks"] - row["aligned_tasks"] - row["orphan_tasks"],
        )
        for row in sorted(rows, key=lambda row: row["effective_team"] or 0)
    )


DRIVER_FIELDS = ("id", "title", "effort", "effective_team", "status", "objective_id", "initiative_id")


def task_drivers_fetch(
    *,
    organization_id: int,
    parameters: Parameters,
    objective_ids: frozenset[int],
    live_objective_ids: frozenset[int],
    orphan_count: int,
    misaligned_count: int,
    limit: int = 10,
) -> dict[str, list[dict[str, Any]]]:
    """The `limit` largest orphan and misaligned tasks in scope (by effort, then id).

    One ORDER BY … LIMIT over both classes together usually holds `limit` of each (the largest of
    a class are the largest of the union restricted to it); a class short of them there is asked
    for alone. `orphan_count` and `misaligned_count` (tasks in scope) tell when a class is complete.
    """
    scope = tasks_in_scope(organization_id=organization_id, parameters=parameters)
    both = tasks_largest(scope.filter(unaligned(objective_ids, live_objective_ids)), limit * 10)
    orphans = [row for row in both if row["resolved_objective"] is None]
    misaligned = [row for row in both if row["resolved_objective"] is not None]
    if len(orphans) < min(limit, orphan_count):
        orphans = tasks_largest(scope.filter(resolved_objective__isnull=True), limit)
    if len(misaligned) < min(limit, misaligned_count):
        misaligned = tasks_largest(
            scope.filter(resolved_objective__isnull=False).filter(
                unaligned(objective_ids, live_objective_ids)
            ),
            limit,
        )
    return {"orphan_tasks": orphans[:limit], "misaligned_tasks": misaligned[:limit]}


def tasks_largest(tasks: ScopedTasks, limit: int) -> list[dict[str, Any]]:
    """The `limit` largest of `tasks` by effort, then id, each walked along an index: those with an
    estimate by `effort_hours` descending, those without one (effort E, all equal) by id; the two
    short lists are merged here (each of the largest is among the largest of its own kind)."""
    estimated = tasks.filter(effort_hours__isnull=False).order_by("-effort_hours", "id")
    unestimated = tasks.filter(effort_hours__isnull=True).order_by("id")
    rows = [
        *estimated.values(*DRIVER_FIELDS, "resolved_objective")[:limit],
        *unestimated.values(*DRIVER_FIELDS, "resolved_objective")[:limit],
    ]
    rows.sort(key=lambda row: (-row["effort"], row["id"]))
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "effort": float(row["effort"]),
            "team_id": row["effective_team"],
            "status": row["status"],
            "objective_id": row["objective_id"],
            "initiative_id": row["initiative_id"],
            "resolved_objective": row["resolved_objective"],
        }
        for row in rows[:limit]
    ]
