"""The triggers that mark the initiatives whose staffing drift a write may change (`DriftMark`), in the
transaction of the write, whatever makes it (the services, the imports' bulk paths, the cascades of a
deletion, the admin, COPY): so that a recompute recounts the drift of those alone (`drift_kept`).

The drift of an initiative (SCORING.md "Staffing drift") reads its status, its counted allocations
and the work of its assignees within the window (the assignee tallies' `scope` rows, themselves kept
by the task triggers), and whether each assignee is active. So an initiative is marked by a change
of its `scope` tally rows, of its allocations (either side of a move), of its status, by its
deletion, and by a change of `active` of a person working on it. Everything else a drift reads (D,
the window, H, E) is the counts' key: a change of those recounts every initiative.

Marking updates the mark when there is one (`changes + 1`) instead of leaving it: the write then
holds the mark's row until it commits, so that a recount taking the mark meanwhile waits for it and
sees its work. On PostgreSQL one statement-level trigger per table and event over its transition
tables (a bulk write marks each initiative once); on SQLite row-level triggers. Every statement is
assembled from this module's constants (hence the `noqa: S608`).
"""

from __future__ import annotations

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from scoring.mark_triggers import PostgresqlMarks, postgresql_statements, triggers_install, triggers_remove

PREFIX = "scoring_drift_mark"
MARK_TABLE = "scoring_driftmark"
TALLY_TABLE = "objectives_assigneetally"


def _mark(select: str) -> str:
    """Mark the (organization_id, initiative_id) rows of `select`, each once."""
    return (
        f"INSERT INTO {MARK_TABLE} (organization_id, initiative_id, changes)"  # noqa: S608
        f" SELECT organization_id, initiative_id, 1 FROM ({select}) marked"
        " WHERE initiative_id IS NOT NULL GROUP BY organization_id, initiative_id"
        f" ON CONFLICT (organization_id, initiative_id) DO UPDATE SET changes = {MARK_TABLE}.changes + 1"
    )


def _tally_rows(rows: str) -> str:
    return f"SELECT organization_id, initiative_id FROM {rows} WHERE kind = 'scope'"  # noqa: S608


def _allocation_rows(rows: str) -> str:
    return f"SELECT organization_id, initiative_id FROM {rows}"  # noqa: S608


def _status_changes(new: str, old: str) -> str:
    return (
        f"SELECT n.organization_id, n.id AS initiative_id FROM {new} n JOIN {old} o ON o.id = n.id"  # noqa: S608
        " WHERE n.status <> o.status"
    )


def _work_of_people(people: str) -> str:
    """The initiatives the people of `people` (rows with `id` and `organization_id`) work on."""
    return (
        f"SELECT t.organization_id, t.initiative_id FROM {people}"  # noqa: S608
        f" JOIN {TALLY_TABLE} t ON t.organization_id = p.organization_id AND t.assignee_id = p.id"
        " AND t.kind = 'scope'"
    )


# Per watched table: its name, and per event the SELECT (of transition tables `new_rows`, `old_rows`)
# of the initiatives marked. An absent event marks nothing.
POSTGRESQL_MARKS: PostgresqlMarks = {
    "tally": (
        TALLY_TABLE,
        {
            "INSERT": _tally_rows("new_rows"),
            "UPDATE": f"{_tally_rows('new_rows')} UNION ALL {_tally_rows('old_rows')}",
            "DELETE": _tally_rows("old_rows"),
        },
    ),
    "allocation": (
        "resources_allocation",
        {
            "INSERT": _allocation_rows("new_rows"),
            "UPDATE": f"{_allocation_rows('new_rows')} UNION ALL {_allocation_rows('old_rows')}",
            "DELETE": _allocation_rows("old_rows"),
        },
    ),
    "initiative": (
        "objectives_initiative",
        {
            "UPDATE": _status_changes("new_rows", "old_rows"),
            "DELETE": "SELECT organization_id, id AS initiative_id FROM old_rows",
        },
    ),
    "person": (
        "resources_person",
        {
            "UPDATE": _work_of_people(
                "(SELECT n.organization_id, n.id FROM new_rows n JOIN old_rows o ON o.id = n.id"
                " WHERE n.active <> o.active) p"
            )
        },
    ),
}


def _row(row: str, initiative: str = "initiative_id") -> str:
    """One SQLite trigger row (`NEW` or `OLD`) as the (organization_id, initiative_id) it marks."""
    return f"SELECT {row}.organization_id AS organization_id, {row}.{initiative} AS initiative_id"


# Per trigger: the table, the event (with its columns and condition) and the SELECTs it marks.
SQLITE_MARKS: dict[str, tuple[str, str, list[str]]] = {
    "tally_insert": (TALLY_TABLE, "INSERT", [f"{_row('NEW')} WHERE NEW.kind = 'scope'"]),
    "tally_update": (
        TALLY_TABLE,
        "UPDATE",
        [f"{_row('NEW')} WHERE NEW.kind = 'scope'", f"{_row('OLD')} WHERE OLD.kind = 'scope'"],
    ),
    "tally_delete": (TALLY_TABLE, "DELETE", [f"{_row('OLD')} WHERE OLD.kind = 'scope'"]),
    "allocation_insert": ("resources_allocation", "INSERT", [_row("NEW")]),
    "allocation_update": ("resources_allocation", "UPDATE", [_row("NEW"), _row("OLD")]),
    "allocation_delete": ("resources_allocation", "DELETE", [_row("OLD")]),
    "initiative_update": (
        "objectives_initiative",
        "UPDATE OF status",
        [f"{_row('NEW', 'id')} WHERE NEW.status <> OLD.status"],
    ),
    "initiative_delete": ("objectives_initiative", "DELETE", [_row("OLD", "id")]),
    "person_update": (
        "resources_person",
        "UPDATE OF active",
        [
            _work_of_people(
                "(SELECT NEW.organization_id AS organization_id, NEW.id AS id"
                " WHERE NEW.active <> OLD.active) p"
            )
        ],
    ),
}


def _sqlite_sql() -> list[str]:
    return [
        f"CREATE TRIGGER {PREFIX}_{name} AFTER {event} ON {table} BEGIN"
        f" {' '.join(_mark(select) + ';' for select in selects)} END"
        for name, (table, event, selects) in SQLITE_MARKS.items()
    ]


def drift_mark_triggers_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Install the marking triggers of this database's vendor (a migration step)."""
    triggers_install(
        schema_editor, postgresql=postgresql_statements(PREFIX, POSTGRESQL_MARKS, _mark), sqlite=_sqlite_sql()
    )


def drift_mark_triggers_remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers_remove(schema_editor, prefix=PREFIX, postgresql=POSTGRESQL_MARKS, sqlite=SQLITE_MARKS)
