"""The capacity cut line of an organization's plan as it is now (`scoring.engine.cut_line` draws it).

Fetch → calculate, like a recompute, but reading only what the cut line needs, in four queries
inside one consistent read: the objectives, the active and proposed initiatives, the active
people's capacities, and each candidate's open and done effort summed from the kept task tallies
(a row per initiative; the task table is never read). Not stored with the snapshots: it is drawn
when read, at a cost that grows with the plan's objectives, initiatives and people, never with its
tasks, and kept in the shared cache until anything it reads changes (`cut_line_read`).
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q
from redis.exceptions import RedisError

from execgap.models import Organization
from objectives.models import Initiative, TaskTally
from resources.models import Person
from scoring.engine.cut_line import CANDIDATE_STATUSES, CutLine, cut_line_calculate
from scoring.engine.inputs import InitiativeNode, Parameters, PersonNode, ScoringInputs, TaskGroup
from scoring.fetch import INITIATIVE_FIELDS, consistent_read, objectives_fetch, parameters_at
from scoring.fetch_tallies import count_and_effort, tally_sums
from scoring.sql import rows_of

logger = logging.getLogger(__name__)
CUT_LINE_CACHE_SECONDS = 15 * 60
CUT_LINE_CACHE_VERSION = 1  # raise it when a CutLine changes shape


def candidate_efforts_fetch(*, organization_id: int, parameters: Parameters) -> tuple[TaskGroup, ...]:
    """Each active or proposed initiative's open effort and done effort (every done task, whenever
    finished), summed from the task tallies: one row per initiative that has tasks."""
    default_effort = Decimal(str(parameters.default_task_effort_hours))
    candidates = Initiative.objects.for_org(organization_id).filter(status__in=CANDIDATE_STATUSES)
    is_open, is_done = Q(kind="open"), Q(kind="done")
    sums = (
        TaskTally.objects.for_org(organization_id)
        .filter(is_open | is_done, initiative_id__in=candidates.values("id"))
        .values("initiative_id")
        .annotate(**tally_sums("open", is_open), **tally_sums("done", is_done))
        .values_list(
            "initiative_id",
            *tally_sums("open"),
            *tally_sums("done"),
        )
        .order_by("initiative_id")
    )
    groups = []
    for initiative_id, *counts in rows_of(sums):
        open_count, open_effort = count_and_effort(counts[:3], default_effort)
        done_count, done_effort = count_and_effort(counts[3:], default_effort)
        groups.append(
            TaskGroup(
                objective_id=None,  # a task links to an initiative or an objective, never both
                initiative_id=initiative_id,
                open_effort=open_effort,
                open_count=open_count,
                done_effort=done_effort,
                done_count=done_count,
            )
        )
    return tuple(groups)


def cut_line_inputs_fetch(*, organization_id: int, parameters: Parameters) -> ScoringInputs:
    """What `cut_line_calculate` reads, and nothing else: the other parts of the inputs are empty.
    Call inside `consistent_read()`."""
    candidates = Initiative.objects.for_org(organization_id).filter(status__in=CANDIDATE_STATUSES)
    people = Person.objects.for_org(organization_id).filter(active=True)
    return ScoringInputs(
        parameters=parameters,
        objectives=objectives_fetch(organization_id=organization_id),
        initiatives=tuple(
            InitiativeNode(
                id_, objective, status, end, None if estimate is None else float(estimate), owner, team, title
            )
            for id_, objective, status, end, estimate, owner, team, title in rows_of(
                candidates.order_by().values_list(*INITIATIVE_FIELDS)
            )
        ),
        people=tuple(
            PersonNode(id_, team, float(capacity), True)
            for id_, team, capacity in rows_of(
                people.order_by().values_list("id", "team_id", "weekly_capacity_hours")
            )
        ),
        task_groups=candidate_efforts_fetch(organization_id=organization_id, parameters=parameters),
    )


def cut_line_read(*, organization: Organization, as_of: date | None = None) -> CutLine:
    """The organization's capacity cut line at D = `as_of` (today's UTC date when not given).

    Kept in the shared cache under a key of the organization's `scores_changed_at`, D and the
    parameters: every change to what it reads (objectives, initiatives, people, tasks) goes through a
    service that moves `scores_changed_at`, so a kept line is found only while it is still the same.
    A cache that cannot be reached only costs the drawing it would have saved."""
    parameters = parameters_at(organization=organization, as_of=as_of)
    changed = organization.scores_changed_at.isoformat() if organization.scores_changed_at else "never"
    key = (
        f"execgap:cut-line:{CUT_LINE_CACHE_VERSION}:{organization.pk}:{organization.created_at.isoformat()}:"
        f"{changed}:{parameters.as_of}:"
        f"{parameters.planning_horizon_days}:{parameters.activity_window_days}:"
        f"{parameters.default_task_effort_hours}"
    )
    try:
        found = cache.get(key)
    except (RedisError, OSError):
        logger.warning("Could not read the cached cut line of organization %s.", organization.pk)
        found = None
    if isinstance(found, CutLine):
        return found
    with consistent_read():
        inputs = cut_line_inputs_fetch(organization_id=organization.pk, parameters=parameters)
    line = cut_line_calculate(inputs)
    try:
        cache.set(key, line, CUT_LINE_CACHE_SECONDS)
    except (RedisError, OSError):
        logger.warning("Could not cache the cut line of organization %s.", organization.pk)
    return line
