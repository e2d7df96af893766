"""The assignee tallies: the work of each (initiative, assignee) pair counted and summed, kept by the
database as the task tallies are (SCORING.md "Staffing drift" reads who works on which initiative).

One `AssigneeTally` row per (initiative, assignee, kind, day) of the tasks that have both an
initiative and an assignee: kind `open` (to do, in progress, blocked), `day` (done on one completion
day, a UTC date), `recent` (done within the organization's `TallyWindow`) or `scope` (open or recent:
the work the staffing drift reads, one row per pair, so that a recompute reads the pairs without
grouping hundreds of thousands of rows); cancelled tasks and done ones without a completion time
count nowhere. Triggers of their own (so that the migrations of the
task tallies install and remove theirs alone) keep the rows in the transaction of every task write,
holding the organization's tally window shared as the task tallies' do; `tallies_window_roll`
recounts `recent` for both.

Every statement is assembled from this module's constants and table names (hence the `noqa: S608`).
"""

from __future__ import annotations

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from objectives.tallies.statements import (
    DONE_SQL,
    OPEN_SQL,
    WINDOW_TABLE,
    no_day,
    upsert_sql,
    utc_day,
    window_lock_sql,
)

ASSIGNEE_TABLE = "objectives_assigneetally"
ASSIGNEE_KEY = ("organization_id", "initiative_id", "assignee_id", "kind", "day")
# The task columns an assignee tally reads: a change of any other column changes none.
ASSIGNEE_COLUMNS = (
    "organization_id",
    "initiative_id",
    "assignee_id",
    "status",
    "effort_hours",
    "completed_at",
)


def assignee_rows_sql(vendor: str, source: str, *, sign: str = "") -> str:
    """A SELECT of assignee tally rows (ASSIGNEE_KEY, then tasks, effort, unestimated) over the tasks
    of `source` (a table or a parenthesized SELECT with at least ASSIGNEE_COLUMNS) that have an
    initiative and an assignee; `sign` "-" negates the values (the rows a change takes away)."""
    columns = ", ".join(f"s.{column}" for column in ASSIGNEE_COLUMNS)
    empty_day, completed = no_day(vendor), utc_day(vendor, "s.completed_at")
    paired = "s.initiative_id IS NOT NULL AND s.assignee_id IS NOT NULL"
    done = f"s.status = {DONE_SQL} AND s.completed_at IS NOT NULL"
    kinds = (
        f"SELECT {columns}, 'open' AS kind, {empty_day} AS day FROM {source} s"  # noqa: S608
        f" WHERE {paired} AND s.status IN ({OPEN_SQL})"
        f" UNION ALL SELECT {columns}, 'day' AS kind, {completed} AS day FROM {source} s"
        f" WHERE {paired} AND {done}"
        f" UNION ALL SELECT {columns}, 'recent' AS kind, {empty_day} AS day"
        f" FROM {source} s JOIN {WINDOW_TABLE} w ON w.organization_id = s.organization_id"
        f" WHERE {paired} AND {done} AND {completed} >= w.first_day AND {completed} <= w.last_day"
        f" UNION ALL SELECT {columns}, 'scope' AS kind, {empty_day} AS day"
        f" FROM {source} s LEFT JOIN {WINDOW_TABLE} w ON w.organization_id = s.organization_id"
        f" WHERE {paired} AND (s.status IN ({OPEN_SQL})"
        f" OR ({done} AND {completed} >= w.first_day AND {completed} <= w.last_day))"
    )
    return (
        f"SELECT r.organization_id AS organization_id, r.initiative_id AS initiative_id,"  # noqa: S608
        f" r.assignee_id AS assignee_id, r.kind AS kind, r.day AS day,"
        f" {sign}COUNT(*) AS tasks, {sign}COALESCE(SUM(r.effort_hours), 0) AS effort,"
        f" {sign}SUM(CASE WHEN r.effort_hours IS NULL THEN 1 ELSE 0 END) AS unestimated"
        f" FROM ({kinds}) r WHERE true GROUP BY 1, 2, 3, 4, 5"
    )


def _upsert(selects: list[str]) -> str:
    return upsert_sql(selects, table=ASSIGNEE_TABLE, key_columns=ASSIGNEE_KEY)


def assignee_postgresql_triggers_sql() -> list[str]:
    """The function and statement-level triggers that keep the assignee tallies on PostgreSQL."""
    vendor = "postgresql"
    change = _upsert([assignee_rows_sql(vendor, "old_rows", sign="-"), assignee_rows_sql(vendor, "new_rows")])
    return [
        f"""
        CREATE OR REPLACE FUNCTION objectives_task_assignee_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                {window_lock_sql("old_rows")};
            ELSE
                {window_lock_sql("new_rows")};
            END IF;
            IF TG_OP = 'INSERT' THEN
                {_upsert([assignee_rows_sql(vendor, "new_rows")])};
            ELSIF TG_OP = 'DELETE' THEN
                {_upsert([assignee_rows_sql(vendor, "old_rows", sign="-")])};
            ELSE
                {change};
            END IF;
            RETURN NULL;
        END $$
        """,
        *(
            f"CREATE TRIGGER objectives_task_assignee_tally_{event.lower()} AFTER {event} ON objectives_task"
            f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION objectives_task_assignee_tally()"
            for event, tables in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            )
        ),
    ]


def _source(row: str) -> str:
    """One task of a SQLite row trigger (`NEW` or `OLD`) as a table of ASSIGNEE_COLUMNS."""
    return "(SELECT " + ", ".join(f"{row}.{column} AS {column}" for column in ASSIGNEE_COLUMNS) + ")"


def assignee_sqlite_triggers_sql() -> list[str]:
    """The row-level triggers that keep the assignee tallies on SQLite."""
    vendor = "sqlite"
    new, old = _source("NEW"), _source("OLD")
    watched = ", ".join(column for column in ASSIGNEE_COLUMNS if column != "organization_id")
    return [
        "CREATE TRIGGER objectives_task_assignee_tally_insert AFTER INSERT ON objectives_task BEGIN "
        f"{_upsert([assignee_rows_sql(vendor, new)])}; END",
        f"CREATE TRIGGER objectives_task_assignee_tally_update AFTER UPDATE OF {watched} ON objectives_task"
        f" BEGIN {_upsert([assignee_rows_sql(vendor, old, sign='-'), assignee_rows_sql(vendor, new)])}; END",
        "CREATE TRIGGER objectives_task_assignee_tally_delete AFTER DELETE ON objectives_task BEGIN "
        f"{_upsert([assignee_rows_sql(vendor, old, sign='-')])}; END",
    ]


def assignee_triggers_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Install the assignee tallies' triggers of this database's vendor (a migration step)."""
    vendor = schema_editor.connection.vendor
    statements = (
        assignee_postgresql_triggers_sql() if vendor == "postgresql" else assignee_sqlite_triggers_sql()
    )
    for statement in statements:
        schema_editor.execute(statement)


ASSIGNEE_TRIGGERS_DROP = {
    "postgresql": [
        *(
            f"DROP TRIGGER IF EXISTS objectives_task_assignee_tally_{event} ON objectives_task"
            for event in ("insert", "update", "delete")
        ),
        "DROP FUNCTION IF EXISTS objectives_task_assignee_tally()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS objectives_task_assignee_tally_{event}"
        for event in ("insert", "update", "delete")
    ],
}


def assignee_triggers_remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in ASSIGNEE_TRIGGERS_DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement)
