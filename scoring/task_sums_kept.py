"""The task sums kept between recomputes, summed again only for the links a write changed
(`task_sum_marks`), or whole for another activity window.

Reading the task groups and the team efforts from the tallies (`fetch_tallies.task_sums_fetch`) means
grouping every open, done and recent tally row of the organization, twice: the largest part of a
recompute at a million tasks. Yet a write of a task changes the sums of one or two links. So the sums
are kept in exact whole numbers (tasks, cents of estimated effort, tasks without an estimate): per
link, for each of open, done and done in the activity window; and per link and effective team, of
the tasks in scope (open, or done in the window).

`task_sums_kept_refresh` (before a recompute's read, in a transaction of its own) takes the
organization's marks and sums the marked links again from their tallies, or everything again for
another activity window. `task_sums_kept_fetch` (inside the recompute's consistent read) derives the
task groups and the team efforts from the kept sums where that read sees them for its window and no
mark left, and reads the tallies otherwise: the same numbers as `task_sums_fetch` whatever landed in
between, since a mark commits with the write that makes it and is taken only by a refresh that sums
its link after taking it. E applies at read time (a change of it sums nothing again); the classes
(aligned, misaligned, orphan) are decided at read time too, by SCORING.md's rule on each link, as the
database does in `task_sums_fetch`.

`task_sums_kept_differences` checks the kept sums against a count (the `kept_task_sums` command),
`task_sums_kept_rebuild` counts them again, and `task_sums_kept_repair` (every night) checks them,
logs any difference and counts them again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Q, Sum
from django.db.models.functions import Cast, Round

from objectives.models import TaskTally
from scoring.engine.alignment import TaskClass
from scoring.engine.inputs import InitiativeNode, Parameters, TaskGroup, TeamEffort
from scoring.fetch_tallies import in_window, task_sums_fetch
from scoring.kept_repair import kept_repaired
from scoring.models import TaskSumMark, TaskSumsKept, TaskSumsPiece
from scoring.nodes_kept import kept_per_piece
from scoring.sql import rows_of
from scoring.task_sums_rows import (
    KINDS,
    Kept,
    Link,
    PieceSums,
    Row,
    default_effort_cents,
    kept_of,
    kept_packed,
    kept_unpacked,
    link_classifier,
    piece_sums,
    task_sums_combined,
)

# The kept sums are cut into pieces by link: a refresh rewrites the pieces of the links a write marked,
# a few hundred links, not the whole organization's.
PIECES = 64


def task_sums_key(parameters: Parameters) -> str:
    """What the kept sums depend on besides the tallies: the activity window [D − W + 1, D]."""
    return f"{parameters.activity_start.isoformat()} {parameters.as_of.isoformat()}"


def _whole(value: Any) -> int:
    return int(value or 0)


def tally_rows(
    *, organization_id: int, parameters: Parameters, links: Collection[Link] | None = None
) -> list[Row]:
    """The organization's tallies summed per (objective link, initiative link, team), in kept rows,
    sorted: of every link, or of `links` only. One grouped query."""
    kinds = {
        "open": Q(kind="open"),
        "done": Q(kind="done"),
        "recent": in_window(organization_id, parameters),
    }
    sums = {
        f"{name}_{column}": expression
        for name, where in kinds.items()
        for column, expression in (
            ("tasks", Cast(Sum("tasks", filter=where), BigIntegerField())),
            # exact cents (SQLite sums its decimals as floats: rounded back to the cent)
            ("cents", Cast(Round(Sum("effort", filter=where) * 100), BigIntegerField())),
            ("unestimated", Cast(Sum("unestimated", filter=where), BigIntegerField())),
        )
    }
    tallies = TaskTally.objects.for_org(organization_id).filter(
        Q(kind="open") | Q(kind="done") | kinds["recent"]
    )
    if links is not None:
        objectives = sorted({objective for objective, initiative in links if not initiative})
        initiatives = sorted({initiative for _, initiative in links if initiative})
        # (a task links to an objective or an initiative, never both: each side along the tallies' key)
        tallies = tallies.filter(
            Q(initiative_id=0, objective_id__in=objectives) | Q(objective_id=0, initiative_id__in=initiatives)
        )
    grouped = (
        tallies.values("objective_id", "initiative_id", "team_id")
        .annotate(**sums)
        .values_list("objective_id", "initiative_id", "team_id", *sums)
        .order_by()
    )
    rows = [tuple(_whole(value) for value in row) for row in rows_of(grouped)]
    if links is not None:
        rows = [row for row in rows if (row[0], row[1]) in links]
    return sorted(rows)


def piece_of(link: Link) -> int:
    """The piece a link's sums are kept in: spread over PIECES, the same piece for a link always."""
    objective, initiative = link
    return (objective * 1_000_003 + initiative) % PIECES


def _marks_take(organization_id: int) -> set[Link]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TaskSumMark._meta.db_table} WHERE organization_id = %s"  # noqa: S608
            " RETURNING objective_id, initiative_id",
            [organization_id],
        )
        return {(objective, initiative) for objective, initiative in cursor.fetchall()}


def _pieces_write(organization_id: int, kept: Kept, pieces: Iterable[int]) -> None:
    """Replace the organization's `pieces` with the sums of `kept` (each link's in its piece)."""
    by_piece = {piece: Kept() for piece in pieces}
    for row in kept.links:
        by_piece[piece_of((row[0], row[1]))].links.append(row)
    for row in kept.scopes:
        by_piece[piece_of((row[0], row[1]))].scopes.append(row)
    TaskSumsPiece.objects.for_org(organization_id).filter(piece__in=list(by_piece)).delete()
    TaskSumsPiece.objects.bulk_create(
        TaskSumsPiece(organization_id=organization_id, piece=piece, sums=kept_packed(piece_kept))
        for piece, piece_kept in by_piece.items()
    )


def task_sums_kept_refresh(*, organization_id: int, parameters: Parameters) -> bool:
    """Bring the organization's kept task sums up to date for `parameters`: the links a write marked
    since, summed again from their tallies, or everything for another activity window. Returns
    whether anything was summed."""
    key = task_sums_key(parameters)
    with transaction.atomic():
        # The kept row's lock orders two refreshes of one organization: the marks one takes, it sums.
        kept, _ = TaskSumsKept.objects.select_for_update().get_or_create(
            organization_id=organization_id, defaults={"key": "", "as_of": parameters.as_of}
        )
        links = _marks_take(organization_id)
        if kept.key != key:
            _pieces_write(
                organization_id,
                kept_of(tally_rows(organization_id=organization_id, parameters=parameters)),
                range(PIECES),
            )
        elif links:
            pieces = sorted({piece_of(link) for link in links})
            unchanged = Kept()
            for packed in (
                TaskSumsPiece.objects.for_org(organization_id)
                .filter(piece__in=pieces)
                .values_list("sums", flat=True)
            ):
                unchanged.add(kept_unpacked(bytes(packed)).without(links))
            unchanged.add(
                kept_of(tally_rows(organization_id=organization_id, parameters=parameters, links=links))
            )
            _pieces_write(organization_id, unchanged, pieces)
        else:
            return False
        kept.key, kept.as_of = key, parameters.as_of
        kept.save(update_fields=["key", "as_of"])
        return True


def _pieces_read(organization_id: int, parameters: Parameters) -> list[bytes] | None:
    """The kept pieces, packed, where this transaction sees them for `parameters` and no mark left,
    else None."""
    if (
        not TaskSumsKept.objects.for_org(organization_id).filter(key=task_sums_key(parameters)).exists()
        or TaskSumMark.objects.for_org(organization_id).exists()
    ):
        return None
    return [
        bytes(packed)
        for packed in TaskSumsPiece.objects.for_org(organization_id)
        .order_by("piece")
        .values_list("sums", flat=True)
    ]


def _kept_read(organization_id: int, parameters: Parameters) -> Kept | None:
    """The kept sums where this transaction sees them for `parameters` and no mark left, else None."""
    pieces = _pieces_read(organization_id, parameters)
    if pieces is None:
        return None
    kept = Kept()
    for packed in pieces:
        kept.add(kept_unpacked(packed))
    return kept


def task_sums_kept_fetch(
    *,
    organization_id: int,
    parameters: Parameters,
    objective_ids: frozenset[int],
    live_objective_ids: frozenset[int],
    initiatives: Iterable[InitiativeNode],
    keep_key: Hashable | None = None,
) -> tuple[tuple[TaskGroup, ...], tuple[TeamEffort, ...]]:
    """What `task_sums_fetch` reads: from the kept sums where they are current (as this transaction
    reads them), else from the tallies. `initiatives`: the organization's, as this read sees them.

    Each piece's share is derived from its packed sums, E and the links' classes alone: with a
    `keep_key` that names the plan's nodes and D (hence the classes) as this read sees them, the
    worker keeps each piece's share and derives again only the pieces whose packed sums differ from
    the ones it kept (`scoring.nodes_kept`): after a task edit, the one piece of its link."""
    pieces = _pieces_read(organization_id, parameters)
    if pieces is None:
        return task_sums_fetch(
            organization_id=organization_id,
            parameters=parameters,
            objective_ids=objective_ids,
            live_objective_ids=live_objective_ids,
        )
    e = default_effort_cents(parameters)
    classifier: list[Callable[[int, int], TaskClass]] = []

    def share_of(packed: bytes) -> PieceSums:
        if not classifier:  # built once, and only where a piece is derived
            classifier.append(link_classifier(live_objective_ids, initiatives))
        return piece_sums(kept_unpacked(packed), e=e, class_of=classifier[0])

    return task_sums_combined(
        kept_per_piece(
            organization_id=organization_id,
            kind="task_sums",
            key=None if keep_key is None else (keep_key, e),
            pieces=pieces,
            derive=share_of,
        )
    )


def _sums_shown(sums: Sequence[int] | None, names: Sequence[str]) -> str:
    if sums is None:
        return "none"
    return ", ".join(
        f"{name} {tasks} tasks, {Decimal(cents) / 100} h estimated, {unestimated} without"
        for at, name in enumerate(names)
        for tasks, cents, unestimated in [sums[3 * at : 3 * at + 3]]
    )


def task_sums_kept_differences(*, organization_id: int, parameters: Parameters) -> list[str] | None:
    """Where the kept sums (as a recompute would read them) differ from a count, one line per link or
    per link and team, kept then counted; empty when they agree. None when nothing is kept for
    `parameters`."""
    if not TaskSumsKept.objects.for_org(organization_id).filter(key=task_sums_key(parameters)).exists():
        return None
    counted = kept_of(tally_rows(organization_id=organization_id, parameters=parameters))
    kept = _kept_read(organization_id, parameters) or counted
    differences: list[str] = []
    for rows_of_kind, width, names, what in (
        (lambda k: k.links, 2, KINDS, "objective {}, initiative {}"),
        (lambda k: k.scopes, 3, ("in scope",), "objective {}, initiative {}, team {}"),
    ):
        kept_sums = {row[:width]: row[width:] for row in rows_of_kind(kept)}
        counted_sums = {row[:width]: row[width:] for row in rows_of_kind(counted)}
        differences.extend(
            f"{what.format(*key)}: kept {_sums_shown(kept_sums.get(key), names)};"
            f" counted {_sums_shown(counted_sums.get(key), names)}"
            for key in sorted(kept_sums.keys() | counted_sums.keys())
            if kept_sums.get(key) != counted_sums.get(key)
        )
    return differences


def task_sums_kept_rebuild(*, organization_id: int, parameters: Parameters) -> None:
    """Sum the organization's tasks again, whatever was kept."""
    TaskSumsKept.objects.for_org(organization_id).update(key="")
    task_sums_kept_refresh(organization_id=organization_id, parameters=parameters)


def task_sums_kept_as_of(*, organization_id: int) -> date | None:
    """The D the organization's task sums were last kept for (None before its first recompute)."""
    return TaskSumsKept.objects.for_org(organization_id).values_list("as_of", flat=True).first()


def task_sums_kept_repair(*, organization_id: int, parameters: Parameters) -> int:
    """Check the organization's kept task sums for `parameters` against a count; where anything
    differs, log it and count them again. Returns how many rows differed (0 also when nothing is kept
    for these parameters)."""
    return kept_repaired(
        "task sums",
        organization_id=organization_id,
        parameters=parameters,
        differences=task_sums_kept_differences(organization_id=organization_id, parameters=parameters),
        rebuild=task_sums_kept_rebuild,
    )
