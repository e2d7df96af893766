"""The sliding activity window of the tallies: the `recent` rows sum the done tasks of the days of the
organization's `TallyWindow`, so that a recompute reads one row per key instead of one per key and day.

The triggers keep `recent` current within the window as tasks change; moving the window to other days
(a new day, another activity window W) recounts `recent` from the `day` rows in one grouped statement.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from objectives.models import TallyWindow
from objectives.tallies.assignees import ASSIGNEE_KEY, ASSIGNEE_TABLE
from objectives.tallies.statements import KEY, TABLE, WINDOW_LOCK, day_literal


def window_lock(cursor: CursorWrapper, organization_id: int) -> None:
    """Hold the organization's tally window exclusively until the transaction ends (PostgreSQL; SQLite
    has one writer at a time already): no task write can count into `recent` meanwhile."""
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [WINDOW_LOCK, organization_id])


def tallies_window(*, organization_id: int) -> tuple[date, date] | None:
    """The days the organization's `recent` tallies sum, or None when it has no window yet."""
    window = TallyWindow.objects.filter(organization_id=organization_id).first()
    return None if window is None else (window.first_day, window.last_day)


def tallies_window_roll(*, organization_id: int, first_day: date, last_day: date) -> int:
    """Move the organization's window to [first_day, last_day] and recount its `recent` tallies (task
    and assignee tallies) from the `day` tallies of those days, and the assignee tallies' `scope`
    from `open` and the new `recent`, in one transaction. Returns the rows written."""
    with transaction.atomic(), connection.cursor() as cursor:
        window_lock(cursor, organization_id)
        TallyWindow.objects.update_or_create(
            organization_id=organization_id, defaults={"first_day": first_day, "last_day": last_day}
        )
        recent = f"DELETE FROM {TABLE} WHERE organization_id = %s AND kind = 'recent'"  # noqa: S608
        cursor.execute(recent, [organization_id])
        cursor.execute(
            f"INSERT INTO {TABLE} ({', '.join(KEY)}, tasks, effort, unestimated)"  # noqa: S608
            f" SELECT organization_id, objective_id, initiative_id, team_id, 'recent', {day_literal()},"
            " SUM(tasks), SUM(effort), SUM(unestimated)"
            f" FROM {TABLE} WHERE organization_id = %s AND kind = 'day' AND day >= %s AND day <= %s"
            " GROUP BY organization_id, objective_id, initiative_id, team_id"
            " HAVING SUM(tasks) <> 0 OR SUM(effort) <> 0 OR SUM(unestimated) <> 0",
            [organization_id, first_day, last_day],
        )
        written = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {ASSIGNEE_TABLE} WHERE organization_id = %s AND kind = 'recent'",  # noqa: S608
            [organization_id],
        )
        cursor.execute(
            f"INSERT INTO {ASSIGNEE_TABLE} ({', '.join(ASSIGNEE_KEY)}, tasks, effort, unestimated)"  # noqa: S608
            f" SELECT organization_id, initiative_id, assignee_id, 'recent', {day_literal()},"
            " SUM(tasks), SUM(effort), SUM(unestimated)"
            f" FROM {ASSIGNEE_TABLE} WHERE organization_id = %s AND kind = 'day' AND day >= %s AND day <= %s"
            " GROUP BY organization_id, initiative_id, assignee_id"
            " HAVING SUM(tasks) <> 0 OR SUM(effort) <> 0 OR SUM(unestimated) <> 0",
            [organization_id, first_day, last_day],
        )
        written += cursor.rowcount
        # `scope` (open or recent) follows the new `recent` rows.
        cursor.execute(
            f"DELETE FROM {ASSIGNEE_TABLE} WHERE organization_id = %s AND kind = 'scope'",  # noqa: S608
            [organization_id],
        )
        cursor.execute(
            f"INSERT INTO {ASSIGNEE_TABLE} ({', '.join(ASSIGNEE_KEY)}, tasks, effort, unestimated)"  # noqa: S608
            f" SELECT organization_id, initiative_id, assignee_id, 'scope', {day_literal()},"
            " SUM(tasks), SUM(effort), SUM(unestimated)"
            f" FROM {ASSIGNEE_TABLE} WHERE organization_id = %s AND kind IN ('open', 'recent')"
            " GROUP BY organization_id, initiative_id, assignee_id"
            " HAVING SUM(tasks) <> 0 OR SUM(effort) <> 0 OR SUM(unestimated) <> 0",
            [organization_id],
        )
        return written + cursor.rowcount


def tallies_window_ensure(*, organization_id: int, first_day: date, last_day: date) -> bool:
    """Roll the organization's window to [first_day, last_day] unless it is there already; True when
    it rolled."""
    if tallies_window(organization_id=organization_id) == (first_day, last_day):
        return False
    tallies_window_roll(organization_id=organization_id, first_day=first_day, last_day=last_day)
    return True
