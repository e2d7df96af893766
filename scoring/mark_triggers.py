"""What the marking triggers share (`drift_marks`, `staffing_marks`): on PostgreSQL one statement-level
trigger per watched table and event, over its transition tables, running one function per table that
marks what the event's SELECT returns; on SQLite the row-level triggers each module writes; and their
installation and removal (migration steps). Every statement is assembled from the modules' constants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Per watched table (by a short name): the table, and per event the SELECT (of the transition tables
# `new_rows`, `old_rows`) of what it marks. An absent event marks nothing.
PostgresqlMarks = dict[str, tuple[str, dict[str, str]]]

TRANSITION_TABLES = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def postgresql_statements(prefix: str, marks: PostgresqlMarks, mark: Callable[[str], str]) -> list[str]:
    """The functions `<prefix>_<name>()` and triggers `<prefix>_<name>_<event>` of `marks`; `mark`
    turns an event's SELECT into the statement that marks its rows."""
    statements = []
    for name, (table, events) in marks.items():
        branches = " ".join(
            f"{'IF' if index == 0 else 'ELSIF'} TG_OP = '{event}' THEN {mark(select)};"
            for index, (event, select) in enumerate(events.items())
        )
        statements.append(
            f"CREATE OR REPLACE FUNCTION {prefix}_{name}() RETURNS trigger LANGUAGE plpgsql"
            f" AS $$ BEGIN {branches} END IF; RETURN NULL; END $$"
        )
        statements.extend(
            f"CREATE TRIGGER {prefix}_{name}_{event.lower()} AFTER {event} ON {table}"
            f" REFERENCING {TRANSITION_TABLES[event]} FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_{name}()"
            for event in events
        )
    return statements


def triggers_install(
    schema_editor: BaseDatabaseSchemaEditor, *, postgresql: Iterable[str], sqlite: Iterable[str]
) -> None:
    """Run the statements of this database's vendor."""
    postgresql_vendor = schema_editor.connection.vendor == "postgresql"
    for statement in postgresql if postgresql_vendor else sqlite:
        schema_editor.execute(statement)


def triggers_remove(
    schema_editor: BaseDatabaseSchemaEditor,
    *,
    prefix: str,
    postgresql: PostgresqlMarks,
    sqlite: Iterable[str],
) -> None:
    """Drop the triggers (and on PostgreSQL their functions) that `triggers_install` made."""
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, events) in postgresql.items():
            for event in events:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {prefix}_{name}_{event.lower()} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {prefix}_{name}()")
    else:
        for name in sqlite:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {prefix}_{name}")
