"""The task sums of the fetch, read from the kept task tallies instead of the tasks (`objectives.tallies`).

Two grouped queries over the tallies (a row per link × effective team × kind, the activity window's
summed in one `recent` row once the window has been rolled to D; never a row per task), answering a
row per link and a row per team. They give exactly the sums that `scoring.fetch_tasks` counts from
the tasks: efforts are summed as decimals in the database (effort_hours plus E for each task without
an estimate) and turned into floats only at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from objectives.models import Initiative, InitiativeStatus, TaskTally
from objectives.tallies import tallies_window
from scoring.engine.inputs import Parameters, TaskGroup, TeamEffort
from scoring.sql import rows_of

ACTIVE = str(InitiativeStatus.ACTIVE)


def tally_sums(name: str, where: Q | None = None) -> dict[str, Sum]:
    """The tasks, estimated hours and tasks without an estimate of the tallies `where` holds, as
    `<name>_tasks`, `<name>_hours` and `<name>_unestimated` (E is added in Python: fewer decimal
    operations in the database, the same exact sum)."""
    return {
        f"{name}_tasks": Sum("tasks", filter=where),
        f"{name}_hours": Sum("effort", filter=where),
        f"{name}_unestimated": Sum("unestimated", filter=where),
    }


def count_and_effort(sums: Sequence[Any], default_effort: Decimal) -> tuple[int, float]:
    """(tasks, effort) of the three columns of `tally_sums` (PostgreSQL sums whole numbers as decimals):
    the estimates plus E for each task without one (hours)."""
    tasks, hours, unestimated = sums
    return int(tasks or 0), float((hours or Decimal(0)) + int(unestimated or 0) * default_effort)


def _in_window(organization_id: int, parameters: Parameters) -> Q:
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
    is_open, is_done, is_recent = Q(kind="open"), Q(kind="done"), _in_window(organization_id, parameters)
    groups = (
        tallies.filter(is_open | is_done | is_recent)
        .values("objective_id", "initiative_id")
        .annotate(
            **tally_sums("open", is_open), **tally_sums("done", is_done), **tally_sums("recent", is_recent)
        )
        .values_list(
            "objective_id", "initiative_id", *tally_sums("open"), *tally_sums("done"), *tally_sums("recent")
        )
        .order_by("objective_id", "initiative_id")
    )
    task_groups = []
    for objective_id, initiative_id, *sums in rows_of(groups):
        (open_count, open_effort), (done_count, done_effort), (recent_count, recent_effort) = (
            count_and_effort(sums[at : at + 3], default_effort) for at in (0, 3, 6)
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
    in_scope = Q(kind="open") | is_recent
    teams = (
        tallies.filter(in_scope)
        .values("team_id")
        .annotate(**tally_sums("total"), **tally_sums("aligned", aligned), **tally_sums("orphan", orphan))
        .values_list("team_id", *tally_sums("total"), *tally_sums("aligned"), *tally_sums("orphan"))
        .order_by("team_id")
    )
    team_efforts = []
    for team_id, *sums in rows_of(teams):
        (count, total), (aligned_count, aligned_effort), (orphan_count, orphan_effort) = (
            count_and_effort(sums[at : at + 3], default_effort) for at in (0, 3, 6)
        )
        if count:
            team_efforts.append(
                TeamEffort(
                    team_id=team_id or None,
                    aligned_effort=aligned_effort,
                    total_effort=total,
                    orphan_effort=orphan_effort,
                    orphan_tasks=orphan_count,
                    misaligned_tasks=count - aligned_count - orphan_count,
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
    in_scope = Q(kind="open") | _in_window(organization_id, parameters)
    linked = Q(initiative_id=0, objective_id__in=sorted(objective_links)) | Q(
        initiative_id__in=sorted(initiative_links)
    )
    rows = (
        TaskTally.objects.for_org(organization_id)
        .filter(in_scope & linked)
        .values("team_id", "objective_id", "initiative_id")
        .annotate(**tally_sums("scope"))
        .values_list("team_id", "objective_id", "initiative_id", *tally_sums("scope"))
        .order_by("team_id", "objective_id", "initiative_id")
    )
    result = []
    for team_id, objective_id, initiative_id, tasks, hours, unestimated in rows_of(rows):
        if tasks:
            effort = (hours or Decimal(0)) + int(unestimated or 0) * default_effort
            result.append((team_id or None, objective_id or None, initiative_id or None, int(tasks), effort))
    return result
