"""The capacity cut line of an organization's plan as it is now (`scoring.engine.cut_line` draws it).

Fetch → calculate, like a recompute, but reading only what the cut line needs, in four queries
inside one consistent read: the objectives, the active and proposed initiatives, the active
people's capacities, and each candidate's open and done effort summed from the kept task tallies
(a row per initiative; the task table is never read). Not stored with the snapshots: it is drawn
when read, at a cost that grows with the plan's objectives, initiatives and people, never with its
tasks, and kept in the shared cache until anything it reads changes (`cut_line_read`): its totals
apart from its ranking, and the ranking in pieces of CUT_LINE_PIECE, so that a page of a ranking of
thousands reads the one or two pieces it shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from redis.exceptions import RedisError

from execgap.models import Organization
from objectives.models import Initiative, TaskTally
from resources.models import Person
from scoring.engine.cut_line import CANDIDATE_STATUSES, CutLine, CutLineEntry, cut_line_calculate
from scoring.engine.inputs import InitiativeNode, Parameters, PersonNode, ScoringInputs, TaskGroup
from scoring.fetch import INITIATIVE_FIELDS, consistent_read, objectives_fetch, parameters_at
from scoring.fetch_tallies import count_and_effort, tally_sums
from scoring.sql import rows_of

logger = logging.getLogger(__name__)
CUT_LINE_CACHE_SECONDS = 15 * 60
CUT_LINE_CACHE_VERSION = 2  # raise it when what is kept changes shape
CUT_LINE_PIECE = 100  # ranked initiatives per cached piece


def candidate_efforts_fetch(*, organization_id: int, parameters: Parameters) -> tuple[TaskGroup, ...]:
    """Each active or proposed initiative's open effort and done effort (every done task, whenever
    finished), summed from the task tallies: one row per initiative that has tasks."""
    default_effort = Decimal(str(parameters.default_task_effort_hours))
    candidates = Initiative.objects.for_org(organization_id).filter(status__in=CANDIDATE_STATUSES)
    is_open, is_done = Q(kind="open"), Q(kind="done")
    open_sums = tally_sums("open", default_effort, is_open)
    done_sums = tally_sums("done", default_effort, is_done)
    sums = (
        TaskTally.objects.for_org(organization_id)
        .filter(is_open | is_done, initiative_id__in=candidates.values("id"))
        .values("initiative_id")
        .annotate(**open_sums, **done_sums)
        .values_list("initiative_id", *open_sums, *done_sums)
        .order_by("initiative_id")
    )
    groups = []
    for initiative_id, open_tasks, open_hours, done_tasks, done_hours in rows_of(sums):
        open_count, open_effort = count_and_effort(open_tasks, open_hours)
        done_count, done_effort = count_and_effort(done_tasks, done_hours)
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


@dataclass(frozen=True)
class KeptHead:
    """What the cache keeps of a line besides its ranking: the line with no entries, and how many."""

    line: CutLine
    count: int


class KeptEntries(Sequence[CutLineEntry]):
    """A kept line's ranking, read from the shared cache a piece (CUT_LINE_PIECE entries) at a time,
    each piece once. A piece the cache has lost (evicted) draws the line again (`draw`)."""

    def __init__(self, key: str, count: int, draw: Callable[[], CutLine]) -> None:
        self._key, self._count, self._draw = key, count, draw
        self._pieces: dict[int, Sequence[CutLineEntry]] = {}

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            positions = range(*index.indices(self._count))
            if positions:
                self._load(range(min(positions) // CUT_LINE_PIECE, max(positions) // CUT_LINE_PIECE + 1))
            return [self._entry(position) for position in positions]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError(index)
        self._load([position // CUT_LINE_PIECE])
        return self._entry(position)

    def __iter__(self) -> Iterator[CutLineEntry]:
        return iter(self[:])

    def _entry(self, position: int) -> CutLineEntry:
        return self._pieces[position // CUT_LINE_PIECE][position % CUT_LINE_PIECE]

    def _load(self, pieces: Iterable[int]) -> None:
        wanted = {piece_key(self._key, piece): piece for piece in pieces if piece not in self._pieces}
        if not wanted:
            return
        try:
            found = cache.get_many(list(wanted))
        except (RedisError, OSError):
            logger.warning("Could not read the cached cut line %s.", self._key)
            found = {}
        if len(found) == len(wanted):
            self._pieces.update({wanted[key]: piece for key, piece in found.items()})
            return
        entries = self._draw().entries
        self._pieces = dict(enumerate(pieces_of(entries)))
        self._count = len(entries)


def pieces_of(entries: Sequence[CutLineEntry]) -> list[Sequence[CutLineEntry]]:
    """A ranking cut into pieces of CUT_LINE_PIECE, in order."""
    return [entries[at : at + CUT_LINE_PIECE] for at in range(0, len(entries), CUT_LINE_PIECE)]


def cut_line_key(organization: Organization, parameters: Parameters) -> str:
    """The cache key of the organization's line at `parameters`, as it is now (its pieces add theirs)."""
    changed = organization.scores_changed_at.isoformat() if organization.scores_changed_at else "never"
    return (
        f"execgap:cut-line:{CUT_LINE_CACHE_VERSION}:{organization.pk}:{organization.created_at.isoformat()}:"
        f"{changed}:{parameters.as_of}:"
        f"{parameters.planning_horizon_days}:{parameters.activity_window_days}:"
        f"{parameters.default_task_effort_hours}"
    )


def piece_key(key: str, piece: int) -> str:
    return f"{key}:piece:{piece}"


def cut_line_read(*, organization: Organization, as_of: date | None = None) -> CutLine:
    """The organization's capacity cut line at D = `as_of` (today's UTC date when not given).

    Kept in the shared cache under a key of the organization's `scores_changed_at`, D and the
    parameters: every change to what it reads (objectives, initiatives, people, tasks) goes through a
    service that moves `scores_changed_at`, so a kept line is found only while it is still the same.
    A kept line's ranking (`entries`) is read a piece at a time, when used. A cache that cannot be
    reached only costs the drawing it would have saved."""
    parameters = parameters_at(organization=organization, as_of=as_of)
    key = cut_line_key(organization, parameters)

    def draw() -> CutLine:
        with consistent_read():
            inputs = cut_line_inputs_fetch(organization_id=organization.pk, parameters=parameters)
        return cut_line_calculate(inputs)

    try:
        found = cache.get(key)
    except (RedisError, OSError):
        logger.warning("Could not read the cached cut line of organization %s.", organization.pk)
        found = None
    if isinstance(found, KeptHead):
        return replace(found.line, entries=KeptEntries(key, found.count, draw))
    line = draw()
    entries = tuple(line.entries)
    pieces = {piece_key(key, piece): chunk for piece, chunk in enumerate(pieces_of(entries))}
    try:
        # The pieces first: a head is never found without its pieces but where they were evicted.
        cache.set_many(pieces, CUT_LINE_CACHE_SECONDS)
        cache.set(key, KeptHead(replace(line, entries=()), len(entries)), CUT_LINE_CACHE_SECONDS)
    except (RedisError, OSError):
        logger.warning("Could not cache the cut line of organization %s.", organization.pk)
    return line
