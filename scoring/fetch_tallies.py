"""The task sums of the fetch, read from the kept task tallies instead of the tasks (`objectives.tallies`).

Two grouped queries over the tallies (a row per link × effective team × kind, the activity window's
summed in one `recent` row once the window has been rolled to D; never a row per task), answering a
row per link and a row per team. They give exactly the sums that `scoring.fetch_tasks` counts from
the tasks: efforts are summed as decimals in the database (effort_hours plus E for each task without
an estimate) and turned into floats only at the end.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Case, DecimalField, Func, Q, Sum, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast

from objectives.models import Initiative, InitiativeStatus, TaskTally
from objectives.tallies import tallies_window
from scoring.engine.alignment import TaskClass
from scoring.engine.inputs import Parameters, TaskGroup, TeamEffort
from scoring.sql import rows_of

ACTIVE = str(InitiativeStatus.ACTIVE)
ALIGNED, ORPHAN, MISALIGNED = str(TaskClass.ALIGNED), str(TaskClass.ORPHAN), str(TaskClass.MISALIGNED)


class Hours(Func):
    """Hours summed exactly (decimals) by the database. PostgreSQL answers them as a float: its
    numeric-to-float cast rounds correctly, as Python's `float(Decimal)` does, so the number is the
    same, without a decimal object per sum in Python. SQLite answers a decimal, quantized to cents."""

    template = "%(expressions)s"
    output_field = DecimalField(max_digits=30, decimal_places=2)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s)::double precision", **extra)


def effort_sum(default_effort: Decimal, where: Q | None = None) -> CombinedExpression:
    """The effort of the tallies `where` holds, exactly: their estimated hours plus E
    (`default_effort`) for each task without an estimate (NULL where they hold none)."""
    return Sum("effort", filter=where) + Sum("unestimated", filter=where) * Value(default_effort)


def tally_sums(name: str, default_effort: Decimal, where: Q | None = None) -> dict[str, Cast | Hours]:
    """The tasks and their effort (`effort_sum`, as `Hours`) of the tallies `where` holds, as
    `<name>_tasks` and `<name>_effort` (NULL where the tallies hold none; see `count_and_effort`)."""
    return {
        f"{name}_tasks": Cast(Sum("tasks", filter=where), BigIntegerField()),
        f"{name}_effort": Hours(effort_sum(default_effort, where)),
    }


def count_and_effort(tasks: int | None, effort: Decimal | float | None) -> tuple[int, float]:
    """(tasks, effort in hours) of the two columns of `tally_sums`: zero where the tallies held none."""
    return tasks or 0, float(effort or 0)


def in_window(organization_id: int, parameters: Parameters) -> Q:
    """The tallies of the tasks done in the activity window [D − W + 1, D]: the `recent` ones where the
    organization's tally window is exactly those days (one row per key), else the `day` ones."""
    if tallies_window(organization_id=organization_id) == (parameters.activity_start, parameters.as_of):
        return Q(kind="recent")
    return Q(kind="day", day__gte=parameters.activity_start, day__lte=parameters.as_of)


def _member_of(name: str, members: frozenset[int], everything: frozenset[int]) -> Q:
    """`name` is one of `members` (a subset of `everything`): sends the shorter of the two id lists."""
    others = everything - members
    if len(members) <= len(others):
        return Q(**{f"{name}__in": sorted(members)})
    return ~Q(**{f"{name}__in": sorted(others)}) & ~Q(**{name: 0})


def task_sums_fetch(
    *,
    organization_id: int,
    parameters: Parameters,
    objective_ids: frozenset[int],
    live_objective_ids: frozenset[int],
) -> tuple[tuple[TaskGroup, ...], tuple[TeamEffort, ...]]:
    """The task groups (per objective link × initiative link) and team efforts (per effective team),
    summed in the database: two grouped reads of the tallies, a row per link and a row per team."""
    default_effort = Decimal(str(parameters.default_task_effort_hours))
    tallies = TaskTally.objects.for_org(organization_id).order_by()
    is_open, is_done, is_recent = Q(kind="open"), Q(kind="done"), in_window(organization_id, parameters)
    open_sums = tally_sums("open", default_effort, is_open)
    done_sums = tally_sums("done", default_effort, is_done)
    recent_sums = tally_sums("recent", default_effort, is_recent)
    groups = (
        tallies.filter(is_open | is_done | is_recent)
        .values("objective_id", "initiative_id")
        .annotate(**open_sums, **done_sums, **recent_sums)
        .values_list("objective_id", "initiative_id", *open_sums, *done_sums, *recent_sums)
        .order_by("objective_id", "initiative_id")
    )
    task_groups = []
    for objective_id, initiative_id, *sums in rows_of(groups):
        (open_count, open_effort), (done_count, done_effort), (recent_count, recent_effort) = (
            count_and_effort(*sums[at : at + 2]) for at in (0, 2, 4)
        )
        if open_count or done_count:
            task_groups.append(
                TaskGroup(
                    objective_id=objective_id or None,
                    initiative_id=initiative_id or None,
                    open_effort=open_effort,
                    open_count=open_count,
                    recent_done_effort=recent_effort,
                    recent_done_count=recent_count,
                    done_effort=done_effort,
                    done_count=done_count,
                )
            )

    # SCORING.md's aligned test per link: a live chain, and no initiative or an active one; orphan: no
    # resolved objective (no link, or an initiative that serves no objective). The initiatives are
    # picked in the database (a subquery), not sent as lists of thousands of ids.
    initiatives_here = Initiative.objects.for_org(organization_id)
    serving_live = initiatives_here.filter(status=ACTIVE, objective_id__in=sorted(live_objective_ids))
    aligned = (Q(initiative_id=0) & _member_of("objective_id", live_objective_ids, objective_ids)) | Q(
        initiative_id__in=serving_live.values("id")
    )
    serving_none = initiatives_here.filter(objective_id__isnull=True)
    orphan = Q(objective_id=0) & (Q(initiative_id=0) | Q(initiative_id__in=serving_none.values("id")))
    # Each tally row is classed once (a CASE in the GROUP BY), so a team answers a row per class
    # present; its effort is summed exactly per class here (decimals) and turned into floats once.
    task_class = Case(
        When(aligned, then=Value(ALIGNED)), When(orphan, then=Value(ORPHAN)), default=Value(MISALIGNED)
    )
    teams = (
        tallies.filter(Q(kind="open") | is_recent)
        .values("team_id", task_class=task_class)
        .annotate(tasks_in_scope=Sum("tasks"), effort_in_scope=effort_sum(default_effort))
        .values_list("team_id", "task_class", "tasks_in_scope", "effort_in_scope")
        .order_by("team_id")
    )
    by_team: dict[int, dict[str, tuple[int, Decimal]]] = {}
    for team_id, class_, tasks, effort in rows_of(teams):
        if tasks:
            by_team.setdefault(team_id, {})[class_] = (int(tasks), effort)
    team_efforts = []
    for team_id, classes in by_team.items():
        none = (0, Decimal(0))
        _, aligned_effort = classes.get(ALIGNED, none)
        orphan_tasks, orphan_effort = classes.get(ORPHAN, none)
        misaligned_tasks, misaligned_effort = classes.get(MISALIGNED, none)
        team_efforts.append(
            TeamEffort(
                team_id=team_id or None,
                aligned_effort=float(aligned_effort),
                total_effort=float(aligned_effort + orphan_effort + misaligned_effort),
                orphan_effort=float(orphan_effort),
                orphan_tasks=orphan_tasks,
                misaligned_tasks=misaligned_tasks,
            )
        )
    return tuple(task_groups), tuple(team_efforts)


def link_team_sums_fetch(
    *,
    organization_id: int,
    parameters: Parameters,
    objective_links: frozenset[int],
    initiative_links: frozenset[int],
) -> list[tuple[int | None, int | None, int | None, int, Decimal]]:
    """The tasks in scope (open, or done in the activity window) of the tasks linked to one of
    `objective_links` (directly) or `initiative_links`, per (effective team, objective link,
    initiative link): how many, and their effort in hours (exact decimals, E for each unestimated
    task). What a scenario reads to re-class the tasks whose goals it changes."""
    if not objective_links and not initiative_links:
        return []
    default_effort = Decimal(str(parameters.default_task_effort_hours))
    in_scope = Q(kind="open") | in_window(organization_id, parameters)
    linked = Q(initiative_id=0, objective_id__in=sorted(objective_links)) | Q(
        initiative_id__in=sorted(initiative_links)
    )
    rows = (
        TaskTally.objects.for_org(organization_id)
        .filter(in_scope & linked)
        .values("team_id", "objective_id", "initiative_id")
        .annotate(tasks_in_scope=Sum("tasks"), effort_in_scope=effort_sum(default_effort))
        .values_list("team_id", "objective_id", "initiative_id", "tasks_in_scope", "effort_in_scope")
        .order_by("team_id", "objective_id", "initiative_id")
    )
    result = []
    for team_id, objective_id, initiative_id, tasks, effort in rows_of(rows):
        if tasks:
            result.append((team_id or None, objective_id or None, initiative_id or None, int(tasks), effort))
    return result
