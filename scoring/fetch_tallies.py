"""The task sums of the fetch, read from the kept task tallies instead of the tasks (`objectives.tallies`).

Two grouped queries over the tallies (a row per link × effective team × kind, and per day of the
activity window; never a row per task), answering a row per link and a row per team. They give
exactly the sums that `scoring.fetch_tasks` counts from the tasks: efforts are summed as decimals in
the database (effort_hours plus E for each task without an estimate) and turned into floats only at
the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.expressions import CombinedExpression

from objectives.models import InitiativeStatus, TaskTally
from scoring.engine.inputs import InitiativeNode, Parameters, TaskGroup, TeamEffort

ACTIVE = str(InitiativeStatus.ACTIVE)
SUMMED = DecimalField(max_digits=20, decimal_places=2)


def _effort(default_effort: Decimal) -> ExpressionWrapper[CombinedExpression]:
    """The effort of a tally's tasks: their estimates plus E for each without one (hours)."""
    return ExpressionWrapper(F("effort") + F("unestimated") * Value(default_effort), output_field=SUMMED)


def _in_window(parameters: Parameters) -> Q:
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
    initiatives: Iterable[InitiativeNode],
    objective_ids: frozenset[int],
    live_objective_ids: frozenset[int],
) -> tuple[tuple[TaskGroup, ...], tuple[TeamEffort, ...]]:
    """The task groups (per objective link × initiative link) and team efforts (per effective team),
    summed in the database: two grouped reads of the tallies, a row per link and a row per team."""
    effort = _effort(Decimal(str(parameters.default_task_effort_hours)))
    tallies = TaskTally.objects.for_org(organization_id).order_by()
    is_open, is_done, is_recent = Q(kind="open"), Q(kind="done"), _in_window(parameters)
    groups = (
        tallies.filter(is_open | is_done | is_recent)
        .values("objective_id", "initiative_id")
        .annotate(
            open_count=Sum("tasks", filter=is_open),
            open_effort=Sum(effort, filter=is_open),
            done_count=Sum("tasks", filter=is_done),
            done_effort=Sum(effort, filter=is_done),
            recent_count=Sum("tasks", filter=is_recent),
            recent_effort=Sum(effort, filter=is_recent),
        )
        .order_by("objective_id", "initiative_id")
    )
    task_groups = tuple(
        TaskGroup(
            objective_id=row["objective_id"] or None,
            initiative_id=row["initiative_id"] or None,
            open_effort=float(row["open_effort"] or 0),
            open_count=row["open_count"] or 0,
            recent_done_effort=float(row["recent_effort"] or 0),
            recent_done_count=row["recent_count"] or 0,
            done_effort=float(row["done_effort"] or 0),
            done_count=row["done_count"] or 0,
        )
        for row in groups
        if row["open_count"] or row["done_count"]
    )

    # SCORING.md's aligned test per link: a live chain, and no initiative or an active one.
    all_initiatives = {node.id: node for node in initiatives}
    aligned_initiatives = frozenset(
        node.id
        for node in all_initiatives.values()
        if node.status == ACTIVE and node.objective_id in live_objective_ids
    )
    aligned = (
        Q(initiative_id=0) & _member_of("objective_id", live_objective_ids, objective_ids)
    ) | _member_of("initiative_id", aligned_initiatives, frozenset(all_initiatives))
    in_scope = Q(kind="open") | is_recent
    teams = (
        tallies.filter(in_scope)
        .values("team_id")
        .annotate(tasks=Sum("tasks"), total=Sum(effort), aligned=Sum(effort, filter=aligned))
        .order_by("team_id")
    )
    team_efforts = tuple(
        TeamEffort(
            team_id=row["team_id"] or None,
            aligned_effort=float(row["aligned"] or 0),
            total_effort=float(row["total"] or 0),
        )
        for row in teams
        if row["tasks"]
    )
    return task_groups, team_efforts
