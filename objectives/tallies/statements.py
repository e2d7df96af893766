"""The SQL that counts tasks into tallies, and the triggers that run it on every task write.

Every statement here is assembled from this module's constants and the names of tables, never from
input (hence the `noqa: S608`); the only values are query parameters.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from objectives.models import OPEN_TASK_STATUSES, TaskStatus

TABLE = "objectives_tasktally"
WINDOW_TABLE = "objectives_tallywindow"
# The advisory lock class of an organization's tally window on PostgreSQL (its second key is the
# organization's id): every task write that counts into `recent` holds it shared until it commits,
# and a roll of the window holds it exclusively, so that a roll never misses a write it cannot see.
WINDOW_LOCK = 7401
KEY = ("organization_id", "objective_id", "initiative_id", "team_id", "kind", "day")
VALUES = ("tasks", "effort", "unestimated")
NO_DAY = date(1, 1, 1)
# The task columns a tally reads: a change of any other column (a title, a due date) changes no tally.
TASK_COLUMNS = (
    "organization_id",
    "objective_id",
    "initiative_id",
    "team_id",
    "assignee_id",
    "status",
    "effort_hours",
    "completed_at",
)
OPEN_SQL = ", ".join(f"'{status}'" for status in OPEN_TASK_STATUSES)
DONE_SQL = f"'{TaskStatus.DONE}'"
TEAM_OF_TASK = "COALESCE(r.team_id, p.team_id, 0)"


def utc_day(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"(({column}) AT TIME ZONE 'UTC')::date"
    return f"date({column})"


def no_day(vendor: str) -> str:
    return f"DATE '{NO_DAY.isoformat()}'" if vendor == "postgresql" else f"'{NO_DAY.isoformat()}'"


def day_literal() -> str:
    """NO_DAY as a literal of this connection's database."""
    return no_day(connection.vendor)


def tally_rows_sql(vendor: str, source: str, *, team: str = TEAM_OF_TASK, sign: str = "") -> str:
    """A SELECT of tally rows (KEY, then VALUES) over the tasks of `source`.

    `source` is a table or a parenthesized SELECT with at least TASK_COLUMNS (and whatever `team`
    reads); `team` is the effective team's expression over `r` (the task) and `p` (its assignee);
    `sign` "-" negates the values (the rows a change takes away).
    """
    columns = ", ".join(f"s.{column}" for column in TASK_COLUMNS)
    extra = ", s.person_team" if "person_team" in team else ""
    empty_day = no_day(vendor)
    completed = utc_day(vendor, "s.completed_at")
    kinds = (
        f"SELECT {columns}{extra}, CASE WHEN s.status = {DONE_SQL} THEN 'done' ELSE 'open' END AS kind,"  # noqa: S608
        f" {empty_day} AS day FROM {source} s WHERE s.status IN ({OPEN_SQL}, {DONE_SQL})"
        f" UNION ALL SELECT {columns}{extra}, 'day' AS kind, {completed} AS day"
        f" FROM {source} s WHERE s.status = {DONE_SQL} AND s.completed_at IS NOT NULL"
        f" UNION ALL SELECT {columns}{extra}, 'recent' AS kind, {empty_day} AS day"
        f" FROM {source} s JOIN {WINDOW_TABLE} w ON w.organization_id = s.organization_id"
        f" WHERE s.status = {DONE_SQL} AND s.completed_at IS NOT NULL"
        f" AND {completed} >= w.first_day AND {completed} <= w.last_day"
    )
    return (
        f"SELECT r.organization_id AS organization_id, COALESCE(r.objective_id, 0) AS objective_id,"  # noqa: S608
        f" COALESCE(r.initiative_id, 0) AS initiative_id, CASE WHEN r.kind = 'done' THEN 0 ELSE {team} END"
        f" AS team_id, r.kind AS kind, r.day AS day,"
        f" {sign}COUNT(*) AS tasks, {sign}COALESCE(SUM(r.effort_hours), 0) AS effort,"
        f" {sign}SUM(CASE WHEN r.effort_hours IS NULL THEN 1 ELSE 0 END) AS unestimated"
        f" FROM ({kinds}) r LEFT JOIN resources_person p ON p.id = r.assignee_id"
        f" WHERE true GROUP BY 1, 2, 3, 4, 5, 6"
    )


def upsert_sql(selects: list[str], *, table: str = TABLE, key_columns: tuple[str, ...] = KEY) -> str:
    """Add the rows of `selects` to the tallies of `table` (keyed by `key_columns`), summed per key
    first (an upsert may change a row once per statement); keys whose change sums to nothing are
    left alone."""
    key = ", ".join(key_columns)
    union = " UNION ALL ".join(selects)
    return (
        f"INSERT INTO {table} ({key}, tasks, effort, unestimated)"  # noqa: S608
        f" SELECT {key}, SUM(tasks), SUM(effort), SUM(unestimated) FROM ({union}) delta"
        f" WHERE true GROUP BY {key} HAVING SUM(tasks) <> 0 OR SUM(effort) <> 0 OR SUM(unestimated) <> 0"
        f" ON CONFLICT ({key}) DO UPDATE SET tasks = {table}.tasks + excluded.tasks,"
        f" effort = {table}.effort + excluded.effort,"
        f" unestimated = {table}.unestimated + excluded.unestimated"
    )


def _moved_tasks(source_people: str, side: str) -> str:
    """The team-less tasks of the people of `source_people` whose team changed, with the team of
    `side` (old or new) as `person_team`."""
    columns = ", ".join(f"t.{column}" for column in TASK_COLUMNS)
    return (
        f"(SELECT {columns}, {side}.team_id AS person_team FROM objectives_task t"  # noqa: S608
        f" JOIN {source_people} ON t.assignee_id = {side}.id"
        f" WHERE t.team_id IS NULL)"
    )


PERSON_TEAM = "COALESCE(r.team_id, r.person_team, 0)"


def window_lock_sql(rows: str) -> str:
    """Hold the tally window of each organization of `rows` shared (see WINDOW_LOCK)."""
    return (
        f"PERFORM pg_advisory_xact_lock_shared({WINDOW_LOCK}, o.organization_id::integer)"  # noqa: S608
        f" FROM (SELECT DISTINCT organization_id FROM {rows}) o"
    )


def postgresql_triggers_sql() -> list[str]:
    """The function and triggers that keep the tallies on PostgreSQL (statement-level, one grouped
    upsert per statement whatever its size)."""
    vendor = "postgresql"
    change = upsert_sql([tally_rows_sql(vendor, "old_rows", sign="-"), tally_rows_sql(vendor, "new_rows")])
    moved = "(old_rows o JOIN new_rows n ON n.id = o.id AND o.team_id IS DISTINCT FROM n.team_id)"
    return [
        f"""
        CREATE OR REPLACE FUNCTION objectives_task_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                {window_lock_sql("old_rows")};
            ELSE
                {window_lock_sql("new_rows")};
            END IF;
            IF TG_OP = 'INSERT' THEN
                {upsert_sql([tally_rows_sql(vendor, "new_rows")])};
            ELSIF TG_OP = 'DELETE' THEN
                {upsert_sql([tally_rows_sql(vendor, "old_rows", sign="-")])};
            ELSE
                {change};
            END IF;
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE OR REPLACE FUNCTION objectives_person_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {window_lock_sql("new_rows")};
            {
            upsert_sql(
                [
                    tally_rows_sql(vendor, _moved_tasks(moved, "o"), team=PERSON_TEAM, sign="-"),
                    tally_rows_sql(vendor, _moved_tasks(moved, "n"), team=PERSON_TEAM),
                ]
            )
        };
            RETURN NULL;
        END $$
        """,
        *(
            f"CREATE TRIGGER objectives_task_tally_{event.lower()} AFTER {event} ON objectives_task"
            f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION objectives_task_tally()"
            for event, tables in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            )
        ),
        "CREATE TRIGGER objectives_person_tally AFTER UPDATE ON resources_person"
        " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
        " FOR EACH STATEMENT EXECUTE FUNCTION objectives_person_tally()",
    ]


def row_source(row: str) -> str:
    """One task of a SQLite row trigger (`NEW` or `OLD`) as a table."""
    return "(SELECT " + ", ".join(f"{row}.{column} AS {column}" for column in TASK_COLUMNS) + ")"


def sqlite_triggers_sql() -> list[str]:
    """The triggers that keep the tallies on SQLite (row-level: SQLite has no others)."""
    vendor = "sqlite"
    new, old = row_source("NEW"), row_source("OLD")
    person = (
        "(SELECT t.organization_id, t.objective_id, t.initiative_id, t.team_id, t.assignee_id, t.status,"
        " t.effort_hours, t.completed_at, {side}.team_id AS person_team"
        " FROM objectives_task t WHERE t.assignee_id = NEW.id AND t.team_id IS NULL)"
    )
    watched = ", ".join(column for column in TASK_COLUMNS if column != "organization_id")
    return [
        "CREATE TRIGGER objectives_task_tally_insert AFTER INSERT ON objectives_task BEGIN "
        f"{upsert_sql([tally_rows_sql(vendor, new)])}; END",
        f"CREATE TRIGGER objectives_task_tally_update AFTER UPDATE OF {watched} ON objectives_task BEGIN "
        f"{upsert_sql([tally_rows_sql(vendor, old, sign='-'), tally_rows_sql(vendor, new)])}; END",
        "CREATE TRIGGER objectives_task_tally_delete AFTER DELETE ON objectives_task BEGIN "
        f"{upsert_sql([tally_rows_sql(vendor, old, sign='-')])}; END",
        "CREATE TRIGGER objectives_person_tally AFTER UPDATE OF team_id ON resources_person"
        " WHEN OLD.team_id IS NOT NEW.team_id BEGIN "
        + upsert_sql(
            [
                tally_rows_sql(vendor, person.format(side="OLD"), team=PERSON_TEAM, sign="-"),
                tally_rows_sql(vendor, person.format(side="NEW"), team=PERSON_TEAM),
            ]
        )
        + "; END",
    ]


def triggers_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Install the triggers of this database's vendor (a migration step)."""
    vendor = schema_editor.connection.vendor
    statements = postgresql_triggers_sql() if vendor == "postgresql" else sqlite_triggers_sql()
    for statement in statements:
        schema_editor.execute(statement)


TRIGGERS_DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS objectives_task_tally_insert ON objectives_task",
        "DROP TRIGGER IF EXISTS objectives_task_tally_update ON objectives_task",
        "DROP TRIGGER IF EXISTS objectives_task_tally_delete ON objectives_task",
        "DROP TRIGGER IF EXISTS objectives_person_tally ON resources_person",
        "DROP FUNCTION IF EXISTS objectives_task_tally()",
        "DROP FUNCTION IF EXISTS objectives_person_tally()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS objectives_task_tally_insert",
        "DROP TRIGGER IF EXISTS objectives_task_tally_update",
        "DROP TRIGGER IF EXISTS objectives_task_tally_delete",
        "DROP TRIGGER IF EXISTS objectives_person_tally",
    ],
}


def triggers_remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in TRIGGERS_DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement)
