"""What a recompute reads whole but that rarely changes, kept by each worker process between
recomputes: the plan's nodes (fifty thousand people and twenty thousand initiatives at a large
organization: half a second of reading, most of it building the rows), the check-in facts, and what
each piece of the kept task sums gives (`kept_per_piece`, `scoring.task_sums_kept`).

The database's triggers insert a `NodeMark` in the transaction of every write that can change them
(`scoring.node_marks`). A mark's id comes from a sequence, which never hands out an id twice, not even
after a rollback. So the set of an organization's marks that a read sees names the state of its nodes
it sees: a write committed after a read adds a mark no earlier read saw, and a fold (below) that
takes marks away adds one too. A worker keeps what it read together with the set of marks it saw, and
uses it for a later read only while that read sees the very same set. What it derives from a piece of
packed sums it keeps with the piece's bytes and what else it was derived from (the nodes' marks, D
and E), and uses again only for the very same bytes under the very same key.

That holds for reads inside one snapshot (the recompute's REPEATABLE READ on PostgreSQL,
`scoring.fetch.consistent_read`), where the marks and the rows are read at one moment: anywhere else
(SQLite, which has no sequences nor the triggers, or a read joining a caller's transaction) the rows
are read every time (`node_marks_seen` returns None).

`node_marks_fold` (each recompute, before its read) folds an organization's marks of a kind into one
new mark once there are several, so that their number stays small. A worker keeps the values of a few
organizations at a time (the ones it computed last), and never changes a value it keeps (nor does
the engine change its inputs).

A database restored from a dump under running workers can hand out mark ids again: restart them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from django.db import connection

from scoring.models import NodeMark

T = TypeVar("T")

Kind = NodeMark.Kind

# How many values a worker keeps (one per organization and kind: nodes, check-ins, task sums): those of
# the four organizations it computed last.
KEPT_VALUES = 12

_kept: OrderedDict[tuple[int, str], tuple[Hashable, Any]] = OrderedDict()
_kept_lock = threading.Lock()


def node_marks_seen(*, organization_id: int, one_snapshot: bool) -> dict[str, frozenset[int]] | None:
    """The organization's marks per kind, as this read sees them; None where nothing may be kept: a
    read that is not `one_snapshot` (see the module's docstring)."""
    if not one_snapshot:
        return None
    marks: dict[str, set[int]] = {kind: set() for kind in Kind.values}
    for kind, mark_id in NodeMark.objects.for_org(organization_id).order_by().values_list("kind", "id"):
        marks[kind].add(mark_id)
    return {kind: frozenset(ids) for kind, ids in marks.items()}


def node_marks_of(*, organization_id: int) -> frozenset[int] | None:
    """The organization's marks of its plan nodes as this transaction sees them; None on SQLite, where
    nothing is marked (so that a caller comparing them with later ones cannot find them equal)."""
    if connection.vendor != "postgresql":
        return None
    return frozenset(
        NodeMark.objects.for_org(organization_id).filter(kind=Kind.NODES).values_list("id", flat=True)
    )


def kept_or_read(*, organization_id: int, kind: str, key: Hashable | None, read: Callable[[], T]) -> T:
    """The value this worker kept for the organization and `kind` under `key` (which holds the marks
    seen, `node_marks_seen`), else `read()`, kept under `key`; no `key`, `read()` alone."""
    if key is None:
        return read()
    slot = (organization_id, kind)
    with _kept_lock:
        entry = _kept.get(slot)
        if entry is not None and entry[0] == key:
            _kept.move_to_end(slot)
            value: T = entry[1]
            return value
    value = read()
    _keep(slot, key, value)
    return value


def kept_per_piece(
    *,
    organization_id: int,
    kind: str,
    key: Hashable | None,
    pieces: Sequence[bytes],
    derive: Callable[[bytes], T],
) -> list[T]:
    """`derive(piece)` for each of `pieces` (packed values read in this snapshot), where this worker
    kept it for the organization and `kind` under `key` and the very same bytes, and derived (and
    kept under `key`) otherwise; no `key`, each derived."""
    if key is None:
        return [derive(piece) for piece in pieces]
    slot = (organization_id, kind)
    with _kept_lock:
        entry = _kept.get(slot)
    kept: dict[bytes, T] = entry[1] if entry is not None and entry[0] == key else {}
    derived = {piece: kept[piece] if piece in kept else derive(piece) for piece in pieces}
    _keep(slot, key, derived)
    return [derived[piece] for piece in pieces]


def _keep(slot: tuple[int, str], key: Hashable, value: object) -> None:
    with _kept_lock:
        _kept[slot] = (key, value)
        _kept.move_to_end(slot)
        while len(_kept) > KEPT_VALUES:
            _kept.popitem(last=False)


def node_marks_fold(*, organization_id: int) -> None:
    """Replace the organization's marks of each kind by one new mark where there are several, in one
    statement: it deletes the marks it sees, and a mark that commits meanwhile is left as it is.
    Nothing is marked on SQLite (`scoring.node_marks`), so nothing is folded there."""
    if connection.vendor != "postgresql":
        return
    table = NodeMark._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH seen AS (SELECT kind, array_agg(id) AS ids FROM {table} WHERE organization_id = %s"  # noqa: S608
            "   GROUP BY kind HAVING count(*) > 1),"
            f" folded AS (DELETE FROM {table} m USING seen"
            "   WHERE m.organization_id = %s AND m.kind = seen.kind AND m.id = ANY (seen.ids))"
            f" INSERT INTO {table} (organization_id, kind) SELECT %s, kind FROM seen",
            [organization_id] * 3,
        )
