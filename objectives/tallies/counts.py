"""The kept tallies checked against a recount from the tasks, rebuilt and repaired."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from execgap.services import organization_mark_scores_stale
from objectives.tallies.statements import KEY, TABLE, tally_rows_sql
from objectives.tallies.window import window_lock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tally:
    tasks: int
    effort: Decimal
    unestimated: int

    def __str__(self) -> str:
        effort = format(self.effort.normalize(), "f")
        return f"{self.tasks} tasks, {effort} h estimated, {self.unestimated} without an estimate"


TallyKey = tuple[int, int, int, int, str, date]


def _recount(vendor: str, organization_id: int) -> tuple[str, list[int]]:
    """The SELECT of `tally_rows_sql` over the organization's tasks, and its parameters."""
    sql = tally_rows_sql(vendor, "(SELECT * FROM objectives_task WHERE organization_id = %s)")
    return sql, [organization_id] * sql.count("%s")


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def tallies_recount(*, organization_id: int) -> dict[TallyKey, Tally]:
    """The tallies of the organization counted afresh from its tasks (one scan of its tasks)."""
    with connection.cursor() as cursor:
        cursor.execute(*_recount(connection.vendor, organization_id))
        return {
            (org, objective, initiative, team, kind, _as_date(day)): Tally(
                tasks, Decimal(effort), unestimated
            )
            for org, objective, initiative, team, kind, day, tasks, effort, unestimated in cursor.fetchall()
        }


def tallies_kept(*, organization_id: int) -> dict[TallyKey, Tally]:
    """The tallies the triggers kept, without the keys whose tasks all went away."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(KEY)}, tasks, effort, unestimated FROM {TABLE} WHERE organization_id = %s"  # noqa: S608
            " AND (tasks <> 0 OR effort <> 0 OR unestimated <> 0)",
            [organization_id],
        )
        return {
            (org, objective, initiative, team, kind, _as_date(day)): Tally(
                tasks, Decimal(effort), unestimated
            )
            for org, objective, initiative, team, kind, day, tasks, effort, unestimated in cursor.fetchall()
        }


def tallies_drift(*, organization_id: int) -> dict[TallyKey, tuple[Tally | None, Tally | None]]:
    """Where the kept tallies differ from a recount: key → (kept, counted); empty when they agree."""
    kept = tallies_kept(organization_id=organization_id)
    counted = tallies_recount(organization_id=organization_id)
    return {
        key: (kept.get(key), counted.get(key))
        for key in kept.keys() | counted.keys()
        if kept.get(key) != counted.get(key)
    }


def tallies_rebuild(*, organization_id: int) -> int:
    """Replace the organization's tallies by a recount from its tasks; returns the rows written.

    Locks the organization's tasks against writes meanwhile (on PostgreSQL), and its tally window, so
    that no change slips between the delete and the recount.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE objectives_task IN SHARE ROW EXCLUSIVE MODE")
        window_lock(cursor, organization_id)
        cursor.execute(f"DELETE FROM {TABLE} WHERE organization_id = %s", [organization_id])  # noqa: S608
        recount, parameters = _recount(connection.vendor, organization_id)
        cursor.execute(
            f"INSERT INTO {TABLE} ({', '.join(KEY)}, tasks, effort, unestimated) {recount}", parameters
        )
        return cursor.rowcount


def tallies_repair(*, organization_id: int) -> int:
    """Recount the organization's tallies where they drifted from its tasks, say so in the log, and
    mark its scores stale (they were computed from wrong sums). Returns the number of keys that
    differed (0: nothing done)."""
    drift = tallies_drift(organization_id=organization_id)
    if not drift:
        return 0
    sample = sorted(drift.items())[:5]
    logger.warning(
        "Task tallies of organization %s drifted from its tasks on %s keys (kept, counted): %s; rebuilt.",
        organization_id,
        len(drift),
        sample,
    )
    with transaction.atomic():
        tallies_rebuild(organization_id=organization_id)
        organization_mark_scores_stale(organization_id=organization_id)
    return len(drift)


def tallies_of_deleted_organizations_remove() -> int:
    """Remove the tallies left counted down by the deletion of their organization; returns the rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE organization_id NOT IN (SELECT id FROM execgap_organization)"  # noqa: S608
        )
        return cursor.rowcount
