"""The kept tallies checked against a recount from the tasks, rebuilt and repaired."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils.translation import ngettext

from execgap.services import organization_mark_scores_stale
from objectives.tallies.assignees import ASSIGNEE_KEY, ASSIGNEE_TABLE, assignee_rows_sql
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
        tasks = ngettext("%(count)d task", "%(count)d tasks", self.tasks) % {"count": self.tasks}
        return f"{tasks}, {effort} h estimated, {self.unestimated} without an estimate"


TallyKey = tuple[int, int, int, int, str, date]
AssigneeKey = tuple[int, int, int, str, date]  # organization, initiative, assignee, kind, day
K = TypeVar("K")
ORGANIZATION_TASKS = "(SELECT * FROM objectives_task WHERE organization_id = %s)"


def _recount(vendor: str, organization_id: int) -> tuple[str, list[int]]:
    """The SELECT of `tally_rows_sql` over the organization's tasks, and its parameters."""
    sql = tally_rows_sql(vendor, ORGANIZATION_TASKS)
    return sql, [organization_id] * sql.count("%s")


def _assignee_recount(vendor: str, organization_id: int) -> tuple[str, list[int]]:
    """The SELECT of `assignee_rows_sql` over the organization's tasks, and its parameters."""
    sql = assignee_rows_sql(vendor, ORGANIZATION_TASKS)
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
    return _differences(
        tallies_kept(organization_id=organization_id), tallies_recount(organization_id=organization_id)
    )


def assignee_tallies_recount(*, organization_id: int) -> dict[AssigneeKey, Tally]:
    """The assignee tallies of the organization counted afresh from its tasks (one scan of its tasks)."""
    with connection.cursor() as cursor:
        cursor.execute(*_assignee_recount(connection.vendor, organization_id))
        return _assignee_tallies(cursor.fetchall())


def assignee_tallies_kept(*, organization_id: int) -> dict[AssigneeKey, Tally]:
    """The assignee tallies the triggers kept, without the keys whose tasks all went away."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(ASSIGNEE_KEY)}, tasks, effort, unestimated FROM {ASSIGNEE_TABLE}"  # noqa: S608
            " WHERE organization_id = %s AND (tasks <> 0 OR effort <> 0 OR unestimated <> 0)",
            [organization_id],
        )
        return _assignee_tallies(cursor.fetchall())


def _assignee_tallies(rows: list[tuple[Any, ...]]) -> dict[AssigneeKey, Tally]:
    return {
        (org, initiative, assignee, kind, _as_date(day)): Tally(tasks, Decimal(effort), unestimated)
        for org, initiative, assignee, kind, day, tasks, effort, unestimated in rows
    }


def assignee_tallies_drift(*, organization_id: int) -> dict[AssigneeKey, tuple[Tally | None, Tally | None]]:
    """Where the kept assignee tallies differ from a recount: key → (kept, counted); empty when they
    agree."""
    return _differences(
        assignee_tallies_kept(organization_id=organization_id),
        assignee_tallies_recount(organization_id=organization_id),
    )


def _differences(kept: dict[K, Tally], counted: dict[K, Tally]) -> dict[K, tuple[Tally | None, Tally | None]]:
    return {
        key: (kept.get(key), counted.get(key))
        for key in kept.keys() | counted.keys()
        if kept.get(key) != counted.get(key)
    }


def tallies_rebuild(*, organization_id: int, assignees: bool = True) -> int:
    """Replace the organization's tallies (and, with `assignees`, its assignee tallies) by a recount
    from its tasks; returns the rows written.

    Locks the organization's tasks against writes meanwhile (on PostgreSQL), and its tally window, so
    that no change slips between the delete and the recount. (`assignees=False`: for the migrations
    that ran before the assignee tallies existed.)
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
        written = cursor.rowcount
        if assignees:
            cursor.execute(f"DELETE FROM {ASSIGNEE_TABLE} WHERE organization_id = %s", [organization_id])  # noqa: S608
            recount, parameters = _assignee_recount(connection.vendor, organization_id)
            cursor.execute(
                f"INSERT INTO {ASSIGNEE_TABLE} ({', '.join(ASSIGNEE_KEY)}, tasks, effort, unestimated)"
                f" {recount}",
                parameters,
            )
            written += cursor.rowcount
        return written


def tallies_repair(*, organization_id: int) -> int:
    """Recount the organization's tallies where they drifted from its tasks, say so in the log, and
    mark its scores stale (they were computed from wrong sums). Returns the number of keys that
    differed (0: nothing done)."""
    drift = tallies_drift(organization_id=organization_id)
    assignee_drift = assignee_tallies_drift(organization_id=organization_id)
    if not drift and not assignee_drift:
        return 0
    logger.warning(
        "Task tallies of organization %s drifted from its tasks on %s keys (kept, counted): %s%s; rebuilt.",
        organization_id,
        len(drift) + len(assignee_drift),
        sorted(drift.items())[:5],
        f"; assignee tallies: {sorted(assignee_drift.items())[:5]}" if assignee_drift else "",
    )
    with transaction.atomic():
        tallies_rebuild(organization_id=organization_id)
        organization_mark_scores_stale(organization_id=organization_id)
    return len(drift) + len(assignee_drift)


def tallies_of_deleted_organizations_remove() -> int:
    """Remove the tallies (of both kinds) left counted down by the deletion of their organization;
    returns the rows."""
    removed = 0
    with connection.cursor() as cursor:
        for table in (TABLE, ASSIGNEE_TABLE):
            cursor.execute(
                f"DELETE FROM {table} WHERE organization_id NOT IN (SELECT id FROM execgap_organization)"  # noqa: S608
            )
            removed += cursor.rowcount
    return removed
