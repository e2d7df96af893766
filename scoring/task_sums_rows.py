"""What is kept of the task sums (`task_sums_kept`), packed, and what a recompute derives from it: the
task groups and team efforts of SCORING.md, in whole numbers. No database access.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from objectives.models import InitiativeStatus
from scoring.engine.alignment import TaskClass
from scoring.engine.inputs import InitiativeNode, Parameters, TaskGroup, TeamEffort
from scoring.packed import columns_packed, columns_unpacked

# A summed row (`tally_rows`): objective link, initiative link, effective team (0 for none), then for
# each of open, done and recent (done in the activity window): tasks, cents of estimated effort, tasks
# without an estimate.
KINDS = ("open", "done", "recent")
Row = tuple[int, ...]
Link = tuple[int, int]
# What is kept of them, packed (`scoring.packed`) a piece at a time: per link, the objective link,
# initiative link and the nine sums summed over the teams; per link and team with tasks in scope,
# the objective link, initiative link, team, and the tasks in scope, their cents and those without
# an estimate.
LINK_COLUMNS = "qq" + "qqq" * len(KINDS)
SCOPE_COLUMNS = "qqq" + "qqq"
ACTIVE = str(InitiativeStatus.ACTIVE)


@dataclass
class Kept:
    """Kept sums: `links` (a row per link: LINK_COLUMNS) and `scopes` (a row per link and team with
    tasks in scope: SCOPE_COLUMNS)."""

    links: list[Row] = field(default_factory=list)
    scopes: list[Row] = field(default_factory=list)

    def add(self, other: Kept) -> None:
        self.links.extend(other.links)
        self.scopes.extend(other.scopes)

    def without(self, links: Collection[Link]) -> Kept:
        return Kept(
            [row for row in self.links if (row[0], row[1]) not in links],
            [row for row in self.scopes if (row[0], row[1]) not in links],
        )


def kept_of(rows: Iterable[Row]) -> Kept:
    """What is kept of summed rows: their sums per link, and per link and team in scope."""
    links: dict[Link, list[int]] = {}
    scopes: list[Row] = []
    for objective, initiative, team, *sums in rows:
        totals = links.setdefault((objective, initiative), [0] * len(sums))
        for at, value in enumerate(sums):
            totals[at] += value
        open_tasks, open_cents, open_unestimated, *_, recent_tasks, recent_cents, recent_unestimated = sums
        if open_tasks + recent_tasks:
            scopes.append(
                (
                    *(objective, initiative, team, open_tasks + recent_tasks),
                    *(open_cents + recent_cents, open_unestimated + recent_unestimated),
                )
            )
    return Kept([(*link, *sums) for link, sums in links.items()], scopes)


def _columns(rows: Sequence[Row], width: int) -> list[list[int]]:
    return [[row[at] for row in rows] for at in range(width)]


def kept_packed(kept: Kept) -> bytes:
    links, scopes = sorted(kept.links), sorted(kept.scopes)
    return columns_packed(
        [
            (LINK_COLUMNS, _columns(links, len(LINK_COLUMNS))),
            (SCOPE_COLUMNS, _columns(scopes, len(SCOPE_COLUMNS))),
        ]
    )


def kept_unpacked(packed: bytes) -> Kept:
    columns = columns_unpacked(packed, [LINK_COLUMNS, SCOPE_COLUMNS])
    links, scopes = columns[: len(LINK_COLUMNS)], columns[len(LINK_COLUMNS) :]
    return Kept(list(zip(*links, strict=True)), list(zip(*scopes, strict=True)))


def link_classifier(
    live_objective_ids: frozenset[int], initiatives: Iterable[InitiativeNode]
) -> Callable[[int, int], TaskClass]:
    """A link's class (SCORING.md, as `task_sums_fetch` decides it in the database): aligned with a
    live objective and no initiative, or an active initiative serving a live objective; orphan with
    no objective and no initiative, or an initiative serving none; misaligned otherwise."""
    serving_live = {
        node.id for node in initiatives if node.status == ACTIVE and node.objective_id in live_objective_ids
    }
    serving_none = {node.id for node in initiatives if node.objective_id is None}

    def class_of(objective: int, initiative: int) -> TaskClass:
        if (not initiative and objective in live_objective_ids) or initiative in serving_live:
            return TaskClass.ALIGNED
        if not objective and (not initiative or initiative in serving_none):
            return TaskClass.ORPHAN
        return TaskClass.MISALIGNED

    return class_of


def default_effort_cents(parameters: Parameters) -> int:
    """E in whole cents (the setting has two decimal places)."""
    default_cents = Decimal(str(parameters.default_task_effort_hours)) * 100
    if default_cents != default_cents.to_integral_value():
        raise ValueError("E must be a whole number of cents (the setting has two decimal places).")
    return int(default_cents)


@dataclass(frozen=True)
class PieceSums:
    """What one piece of kept sums gives a recompute: the task groups of its links (with their link,
    to put them in order), and its tasks and cents per effective team and class, in whole numbers: so
    that the pieces add up to exactly what the whole would give (`task_sums_combined`)."""

    groups: tuple[tuple[Link, TaskGroup], ...]
    teams: dict[tuple[int, TaskClass], tuple[int, int]]


def piece_sums(kept: Kept, *, e: int, class_of: Callable[[int, int], TaskClass]) -> PieceSums:
    """The task groups and the team sums of `kept` (a piece, or all of them), E being `e` cents."""
    groups = []
    for objective, initiative, *sums in kept.links:
        open_tasks, open_cents, open_unestimated, done_tasks, done_cents, done_unestimated = sums[:6]
        recent_tasks, recent_cents, recent_unestimated = sums[6:]
        if open_tasks or done_tasks:
            group = TaskGroup(
                objective_id=objective or None,
                initiative_id=initiative or None,
                open_effort=(open_cents + open_unestimated * e) / 100,
                open_count=open_tasks,
                recent_done_effort=(recent_cents + recent_unestimated * e) / 100,
                recent_done_count=recent_tasks,
                done_effort=(done_cents + done_unestimated * e) / 100,
                done_count=done_tasks,
            )
            groups.append(((objective, initiative), group))
    classes: dict[Link, TaskClass] = {}
    teams: dict[tuple[int, TaskClass], list[int]] = {}
    for objective, initiative, team, tasks, cents, unestimated in kept.scopes:
        link = (objective, initiative)
        task_class = classes.get(link) or classes.setdefault(link, class_of(objective, initiative))
        scope = teams.setdefault((team, task_class), [0, 0])
        scope[0] += tasks
        scope[1] += cents + unestimated * e
    return PieceSums(tuple(groups), {key: (tasks, cents) for key, (tasks, cents) in teams.items()})


def task_sums_combined(
    pieces: Iterable[PieceSums],
) -> tuple[tuple[TaskGroup, ...], tuple[TeamEffort, ...]]:
    """The task groups (per link, in link order) and team efforts (per effective team) of the pieces'
    sums, added in whole numbers (cents) and turned into hours once: the same floats as the exact
    decimal sums, whatever the pieces."""
    groups: list[tuple[Link, TaskGroup]] = []
    teams: dict[tuple[int, TaskClass], list[int]] = {}
    for piece in pieces:
        groups.extend(piece.groups)
        for key, (tasks, cents) in piece.teams.items():
            scope = teams.setdefault(key, [0, 0])
            scope[0] += tasks
            scope[1] += cents
    groups.sort(key=itemgetter(0))
    efforts = []
    for team in sorted({team for team, _ in teams}):
        _, aligned_cents = teams.get((team, TaskClass.ALIGNED), (0, 0))
        orphan_tasks, orphan_cents = teams.get((team, TaskClass.ORPHAN), (0, 0))
        misaligned_tasks, misaligned_cents = teams.get((team, TaskClass.MISALIGNED), (0, 0))
        efforts.append(
            TeamEffort(
                team_id=team or None,
                aligned_effort=aligned_cents / 100,
                total_effort=(aligned_cents + orphan_cents + misaligned_cents) / 100,
                orphan_effort=orphan_cents / 100,
                orphan_tasks=orphan_tasks,
                misaligned_tasks=misaligned_tasks,
            )
        )
    return tuple(group for _, group in groups), tuple(efforts)
