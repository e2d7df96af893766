"""The triggers that mark an organization's staffing as changed (`StaffingMark`), in the transaction of
every write that can change it, whatever makes it (the services, the imports' bulk paths, the cascades
of a deletion, the admin, COPY): so that a recompute counts the staffing again only after such a write
(`staffing_kept`).

The staffing (SCORING.md "Resources": load_p, f_p, supply_i and the people over capacity or spread
thin) reads the allocations, each person's weekly capacity and whether they are active, and each
initiative's status and end date. So a write to an allocation marks its organization, as does a
change of a person's capacity or `active`, of an initiative's status or end date, and the deletion
of a person or an initiative. Everything else it reads (D, H, K) is the kept staffing's key.

A mark is a plain insert (one per organization and statement on PostgreSQL, over the transition
tables; one per row on SQLite), never an update: a write does not wait for another's mark. Every
statement is assembled from this module's constants (hence the `noqa: S608`).
"""

from __future__ import annotations

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from scoring.mark_triggers import PostgresqlMarks, postgresql_statements, triggers_install, triggers_remove

PREFIX = "scoring_staffing_mark"
MARK_TABLE = "scoring_staffingmark"


def _mark(select: str) -> str:
    """Mark each organization of `select` (rows with an `organization_id`) once."""
    return (
        f"INSERT INTO {MARK_TABLE} (organization_id)"  # noqa: S608
        f" SELECT DISTINCT organization_id FROM ({select}) marked"
    )


def _changed(table_columns: tuple[str, ...]) -> str:
    """The new rows whose columns differ from the old ones (NULL-safe)."""
    differs = " OR ".join(f"n.{column} IS DISTINCT FROM o.{column}" for column in table_columns)
    return f"SELECT n.organization_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {differs}"  # noqa: S608


PERSON_COLUMNS = ("weekly_capacity_hours", "active")
INITIATIVE_COLUMNS = ("status", "end_date")

# Per watched table: its name, and per event the SELECT (of transition tables `new_rows`, `old_rows`)
# of the organizations marked.
POSTGRESQL_MARKS: PostgresqlMarks = {
    "allocation": (
        "resources_allocation",
        {
            "INSERT": "SELECT organization_id FROM new_rows",
            "UPDATE": "SELECT organization_id FROM new_rows UNION ALL SELECT organization_id FROM old_rows",
            "DELETE": "SELECT organization_id FROM old_rows",
        },
    ),
    "person": (
        "resources_person",
        {"UPDATE": _changed(PERSON_COLUMNS), "DELETE": "SELECT organization_id FROM old_rows"},
    ),
    "initiative": (
        "objectives_initiative",
        {"UPDATE": _changed(INITIATIVE_COLUMNS), "DELETE": "SELECT organization_id FROM old_rows"},
    ),
}


def _differs(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in columns)


# Per trigger: the table, the event, its condition (SQLite's WHEN; none: every row) and the row it marks.
SQLITE_MARKS: dict[str, tuple[str, str, str, str]] = {
    "allocation_insert": ("resources_allocation", "INSERT", "", "NEW"),
    "allocation_update": ("resources_allocation", "UPDATE", "", "NEW"),
    "allocation_delete": ("resources_allocation", "DELETE", "", "OLD"),
    "person_update": ("resources_person", "UPDATE", _differs(PERSON_COLUMNS), "NEW"),
    "person_delete": ("resources_person", "DELETE", "", "OLD"),
    "initiative_update": ("objectives_initiative", "UPDATE", _differs(INITIATIVE_COLUMNS), "NEW"),
    "initiative_delete": ("objectives_initiative", "DELETE", "", "OLD"),
}


def _sqlite_trigger(name: str, table: str, event: str, condition: str, row: str) -> str:
    when = f" WHEN {condition}" if condition else ""
    mark = f"INSERT INTO {MARK_TABLE} (organization_id) VALUES ({row}.organization_id)"  # noqa: S608
    trigger = f"{PREFIX}_{name} AFTER {event} ON {table} FOR EACH ROW{when}"
    return f"CREATE TRIGGER {trigger} BEGIN {mark}; END"


def _sqlite_sql() -> list[str]:
    return [_sqlite_trigger(name, *trigger) for name, trigger in SQLITE_MARKS.items()]


def staffing_mark_triggers_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Install the marking triggers of this database's vendor (a migration step)."""
    triggers_install(
        schema_editor, postgresql=postgresql_statements(PREFIX, POSTGRESQL_MARKS, _mark), sqlite=_sqlite_sql()
    )


def staffing_mark_triggers_remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers_remove(schema_editor, prefix=PREFIX, postgresql=POSTGRESQL_MARKS, sqlite=SQLITE_MARKS)
