"""The triggers that mark the task links whose sums a write changes (`TaskSumMark`), in the transaction
of the write: so that a recompute sums those links again, and only those (`task_sums_kept`).

The task sums are read from the task tallies (`objectives.tallies`), which the task triggers keep
current in the same transaction as every write of a task, whatever makes it (the services, the
imports' bulk paths, the cascades of a deletion, the admin, COPY), and which the daily roll of the
tally window rewrites. So every write to a tally row marks its link (objective and initiative, 0 for
none); the other side of an update too, should its link change.

A mark is a plain insert (on PostgreSQL one statement-level trigger per event over its transition
tables, each link once per statement; on SQLite one per row), never an update: a write does not wait
for another's mark. Every statement is assembled from this module's constants (hence the
`noqa: S608`).
"""

from __future__ import annotations

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from scoring.mark_triggers import PostgresqlMarks, postgresql_statements, triggers_install, triggers_remove

PREFIX = "scoring_task_sum_mark"
MARK_TABLE = "scoring_tasksummark"
TALLY_TABLE = "objectives_tasktally"
LINK = "organization_id, objective_id, initiative_id"


def _mark(select: str) -> str:
    """Mark each link of `select` (rows with the columns of LINK) once."""
    return (
        f"INSERT INTO {MARK_TABLE} ({LINK})"  # noqa: S608
        f" SELECT DISTINCT {LINK} FROM ({select}) marked"
    )


POSTGRESQL_MARKS: PostgresqlMarks = {
    "tally": (
        TALLY_TABLE,
        {
            "INSERT": f"SELECT {LINK} FROM new_rows",  # noqa: S608
            "UPDATE": f"SELECT {LINK} FROM new_rows UNION ALL SELECT {LINK} FROM old_rows",  # noqa: S608
            "DELETE": f"SELECT {LINK} FROM old_rows",  # noqa: S608
        },
    ),
}

# Per trigger: the event and the rows it marks.
SQLITE_MARKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tally_insert": ("INSERT", ("NEW",)),
    "tally_update": ("UPDATE", ("NEW", "OLD")),
    "tally_delete": ("DELETE", ("OLD",)),
}


def _sqlite_trigger(name: str, event: str, rows: tuple[str, ...]) -> str:
    marks = " ".join(
        f"INSERT INTO {MARK_TABLE} ({LINK})"  # noqa: S608
        f" VALUES ({row}.organization_id, {row}.objective_id, {row}.initiative_id);"
        for row in rows
    )
    return f"CREATE TRIGGER {PREFIX}_{name} AFTER {event} ON {TALLY_TABLE} FOR EACH ROW BEGIN {marks} END"


def task_sum_mark_triggers_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Install the marking triggers of this database's vendor (a migration step)."""
    triggers_install(
        schema_editor,
        postgresql=postgresql_statements(PREFIX, POSTGRESQL_MARKS, _mark),
        sqlite=[_sqlite_trigger(name, *trigger) for name, trigger in SQLITE_MARKS.items()],
    )


def task_sum_mark_triggers_remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers_remove(schema_editor, prefix=PREFIX, postgresql=POSTGRESQL_MARKS, sqlite=SQLITE_MARKS)
