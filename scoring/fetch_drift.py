"""The staffing drift of the fetch (SCORING.md "Signals beyond the scores"), computed in the database.

Who works on what is read from the kept assignee tallies (`objectives.tallies.assignees`: a row per
initiative × assignee × kind, never a row per task), and set against the allocations counted at D.
A recompute counts (`drift_fetch`: per active initiative with any drift, how many people work on it
without an allocation and their effort, how many are allocated without work and their allocations,
in one statement of two rows per initiative at most); the people themselves are listed only for the
initiatives something shows (`drift_lists_fetch`: the drivers of a snapshot, a page of initiatives),
the first DRIFT_LIMIT of each list, whatever the number of people and tasks.
`scoring.engine.drift.drift_calculate` computes the same from rows; the rows of some initiatives
(`assignee_work_fetch`) are what a scenario recomputes the drift of those from.

The SQL is assembled from querysets built with `for_org` and this module's constants; every value is
a query parameter. It runs on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When

from objectives.models import AssigneeTally, Initiative, InitiativeStatus, Task
from objectives.tallies import tallies_window
from resources.models import Person
from scoring.engine.drift import DRIFT_LIMIT, IDLE_AFTER_DAYS, hundredths
from scoring.engine.inputs import (
    AssigneeWork,
    DriftFacts,
    IdleAllocation,
    InitiativeDrift,
    Parameters,
    UnallocatedWorker,
)
from scoring.fetch_staffing import counted_allocations
from scoring.fetch_tasks import OPEN, effort_of, recently_done, start_of
from scoring.sql import rows_of, sql_of


def _work(
    organization_id: int,
    parameters: Parameters,
    initiative_ids: Iterable[int] | None = None,
    *,
    active_only: bool = True,
) -> QuerySet[AssigneeTally, tuple[Any, ...]]:
    """Per (initiative, assignee) of the active initiatives (of `initiative_ids` where given; with
    `active_only` false, whatever their status): the open and recently done tasks, their estimated
    hours and how many have no estimate.

    Where the organization's tally window is exactly [D − W + 1, D], its `scope` rows hold that, one
    per pair (read without grouping); else the `open` rows and the `day` rows of those days are
    summed per pair. A tally of no task left is no work: every row counts tasks ≥ 0, so a pair works
    on the initiative when any of its rows does.
    """
    tallies = AssigneeTally.objects.for_org(organization_id).filter(tasks__gt=0)
    one_per_pair = tallies_window(organization_id=organization_id) == (
        parameters.activity_start,
        parameters.as_of,
    )
    if one_per_pair:
        tallies = tallies.filter(kind="scope")
    else:
        tallies = tallies.filter(
            Q(kind="open") | Q(kind="day", day__gte=parameters.activity_start, day__lte=parameters.as_of)
        )
    if active_only:
        active = Initiative.objects.for_org(organization_id).filter(status=InitiativeStatus.ACTIVE)
        tallies = tallies.filter(initiative_id__in=active.values("id"))
    if initiative_ids is not None:
        tallies = tallies.filter(initiative_id__in=sorted(initiative_ids))
    if one_per_pair:
        return tallies.values_list("initiative_id", "assignee_id", "tasks", "effort", "unestimated")
    return (
        tallies.values("initiative_id", "assignee_id")
        .annotate(work_tasks=Sum("tasks"), work_hours=Sum("effort"), work_unestimated=Sum("unestimated"))
        .values_list("initiative_id", "assignee_id", "work_tasks", "work_hours", "work_unestimated")
    )


def assignee_work_fetch(
    *, organization_id: int, parameters: Parameters, initiative_ids: Iterable[int]
) -> tuple[AssigneeWork, ...]:
    """The work per assignee of the initiatives `initiative_ids`, from the assignee tallies: what
    `drift_calculate` recomputes their drift from (a row per person working on one of them)."""
    default_effort = Decimal(str(parameters.default_task_effort_hours))
    rows = _work(organization_id, parameters, initiative_ids, active_only=False).order_by(
        "initiative_id", "assignee_id"
    )
    return tuple(
        AssigneeWork(
            initiative_id=initiative_id,
            person_id=person_id,
            effort=float((hours or Decimal(0)) + int(unestimated or 0) * default_effort),
            tasks=int(tasks),
        )
        for initiative_id, person_id, tasks, hours, unestimated in rows_of(rows)
    )


def assignee_work_of_tasks(*, organization_id: int, parameters: Parameters) -> tuple[AssigneeWork, ...]:
    """The same counted from the tasks themselves (one scan): the reference the tallies are checked
    against, for every initiative."""
    rows = (
        Task.objects.for_org(organization_id)
        .filter(initiative__isnull=False, assignee__isnull=False)
        .filter(Q(status__in=OPEN) | recently_done(parameters))
        .values("initiative_id", "assignee_id")
        .annotate(effort=Sum(effort_of(parameters)), tasks=Count("pk"))
        .order_by("initiative_id", "assignee_id")
    )
    return tuple(
        AssigneeWork(row["initiative_id"], row["assignee_id"], float(row["effort"]), row["tasks"])
        for row in rows
    )


def _rounded(expression: str) -> str:
    """Rounded to the hundredth on either database (PostgreSQL rounds numerics only)."""
    return f"ROUND(CAST({expression} AS NUMERIC), 2)"


def _drift_statement(
    organization_id: int, parameters: Parameters, initiative_ids: Iterable[int] | None, select: str
) -> tuple[str, tuple[Any, ...]]:
    """The drift's common table expressions (the counted allocations, the work per assignee, the
    people working without an allocation and the allocations without work) of the active initiatives,
    or of `initiative_ids`, followed by `select` over `unallocated` and `idle`."""
    began_by = parameters.as_of - timedelta(days=IDLE_AFTER_DAYS)
    began_early = Q(start_date__lte=began_by) | Q(
        start_date__isnull=True, created_at__lt=start_of(began_by + timedelta(days=1))
    )
    counted = counted_allocations(organization=organization_id, parameters=parameters)
    if initiative_ids is not None:
        counted = counted.filter(initiative_id__in=sorted(initiative_ids))
    counted_sql, counted_params = sql_of(
        counted.values_list(
            "person_id",
            "initiative_id",
            "hours_per_week",
            Case(When(began_early, then=Value(1)), default=Value(0)),
        )
    )
    work_sql, work_params = sql_of(_work(organization_id, parameters, initiative_ids))
    people_sql, people_params = sql_of(
        Person.objects.for_org(organization_id).filter(active=True).values("id")
    )
    effort = "w.hours + w.unestimated * %s"
    sql = f"""
        WITH counted (person_id, initiative_id, hours, began_early) AS ({counted_sql}),
        work (initiative_id, person_id, tasks, hours, unestimated) AS ({work_sql}),
        unallocated AS (
            SELECT w.initiative_id, w.person_id, w.tasks, {_rounded(effort)} AS effort
            FROM work w
            WHERE w.person_id IN ({people_sql})
              AND NOT EXISTS (SELECT 1 FROM counted c
                              WHERE c.initiative_id = w.initiative_id AND c.person_id = w.person_id)
        ),
        idle AS (
            SELECT c.initiative_id, c.person_id, SUM(c.hours) AS hours, COUNT(*) AS allocations
            FROM counted c
            WHERE c.began_early = 1
              AND NOT EXISTS (SELECT 1 FROM work w
                              WHERE w.initiative_id = c.initiative_id AND w.person_id = c.person_id)
            GROUP BY c.initiative_id, c.person_id
        )
        {select}
    """  # noqa: S608 (the fragments are SQL that querysets built; every value is a parameter)
    default_effort = Decimal(str(parameters.default_task_effort_hours))
    return sql, (*counted_params, *work_params, default_effort, *people_params)


def drift_fetch(*, organization_id: int, parameters: Parameters) -> DriftFacts:
    """The staffing drift of every active initiative that has any, counted, in one statement: how many
    people each way, the unplanned effort, the allocations and hours without work, with no one listed
    (`drift_calculate` with `limit=0`; `drift_lists_fetch` lists the people of some initiatives)."""
    counts = drift_counts_fetch(organization_id=organization_id, parameters=parameters)
    return DriftFacts(initiatives={initiative_id: counts[initiative_id] for initiative_id in sorted(counts)})


def drift_counts_fetch(
    *, organization_id: int, parameters: Parameters, initiative_ids: Iterable[int] | None = None
) -> dict[int, InitiativeDrift]:
    """The counted drift (no one listed) of the active initiatives, or of those of `initiative_ids`,
    that have any: what `drift_fetch` reads for all, and `scoring.drift_kept` for the marked ones."""
    sql, params = _drift_statement(
        organization_id,
        parameters,
        None if initiative_ids is None else sorted(set(initiative_ids)),
        """
        SELECT 1, initiative_id, COUNT(*), SUM(effort), 0 FROM unallocated GROUP BY initiative_id
        UNION ALL
        SELECT 2, initiative_id, COUNT(*), SUM(hours), SUM(allocations) FROM idle GROUP BY initiative_id
        ORDER BY 1, 2
        """,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    totals: dict[int, dict[str, Any]] = {}
    for kind, initiative_id, people, total, total_number in found:
        counts = totals.setdefault(initiative_id, {})
        if kind == 1:
            counts |= {"unallocated_people": int(people), "unplanned_effort": hundredths(float(total))}
        else:
            counts |= {
                "idle_people": int(people),
                "idle_hours": hundredths(float(total)),
                "idle_allocations": int(total_number),
            }
    return {
        initiative_id: InitiativeDrift(initiative_id=initiative_id, **counts)
        for initiative_id, counts in totals.items()
    }


def drift_lists_fetch(
    *, organization_id: int, parameters: Parameters, initiative_ids: Iterable[int], limit: int = DRIFT_LIMIT
) -> dict[int, InitiativeDrift]:
    """The staffing drift of the initiatives `initiative_ids` (those with any), with the first `limit`
    people of each list: what a page or the drivers show (`drift_calculate` with `limit`). Costs the
    same for a page of initiatives however large the organization."""
    ids = sorted(set(initiative_ids))
    if not ids:
        return {}
    idle_hours = _rounded("hours")
    sql, params = _drift_statement(
        organization_id,
        parameters,
        ids,
        f"""
        , ranked AS (
            SELECT 1 AS list, initiative_id, person_id, effort AS amount, tasks AS number,
                   ROW_NUMBER() OVER (PARTITION BY initiative_id ORDER BY effort DESC, person_id) AS place,
                   COUNT(*) OVER (PARTITION BY initiative_id) AS people,
                   SUM(effort) OVER (PARTITION BY initiative_id) AS total,
                   0 AS total_number
            FROM unallocated
            UNION ALL
            SELECT 2, initiative_id, person_id, {idle_hours}, allocations,
                   ROW_NUMBER() OVER (PARTITION BY initiative_id ORDER BY {idle_hours} DESC, person_id),
                   COUNT(*) OVER (PARTITION BY initiative_id),
                   SUM(hours) OVER (PARTITION BY initiative_id),
                   SUM(allocations) OVER (PARTITION BY initiative_id)
            FROM idle
        )
        SELECT list, initiative_id, person_id, amount, number, people, total, total_number
        FROM ranked WHERE place <= %s ORDER BY list, initiative_id, place
        """,  # noqa: S608 (a constant of this module; every value is a parameter)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, max(limit, 1)))
        found = cursor.fetchall()
    return _drift_of(found, limit)


def _drift_of(found: list[tuple[Any, ...]], limit: int) -> dict[int, InitiativeDrift]:
    """The statement's rows (list 1: working without allocation, 2: allocated without work; each
    row with its list's totals for the initiative) as `InitiativeDrift` per initiative."""
    unallocated: dict[int, list[UnallocatedWorker]] = {}
    idle: dict[int, list[IdleAllocation]] = {}
    totals: dict[int, dict[str, Any]] = {}
    for kind, initiative_id, person_id, amount, number, people, total, total_number in found:
        counts = totals.setdefault(initiative_id, {})
        if kind == 1:
            workers = unallocated.setdefault(initiative_id, [])
            if len(workers) < limit:
                workers.append(UnallocatedWorker(person_id, hundredths(float(amount)), int(number)))
            counts |= {"unallocated_people": int(people), "unplanned_effort": hundredths(float(total))}
        else:
            allocations = idle.setdefault(initiative_id, [])
            if len(allocations) < limit:
                allocations.append(IdleAllocation(person_id, hundredths(float(amount)), int(number)))
            counts |= {
                "idle_people": int(people),
                "idle_hours": hundredths(float(total)),
                "idle_allocations": int(total_number),
            }
    return {
        initiative_id: InitiativeDrift(
            initiative_id=initiative_id,
            **totals[initiative_id],
            unallocated=tuple(unallocated.get(initiative_id, ())),
            idle=tuple(idle.get(initiative_id, ())),
        )
        for initiative_id in sorted(totals)
    }
