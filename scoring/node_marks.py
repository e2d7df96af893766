"""The triggers that mark an organization's plan nodes or check-ins as changed (`NodeMark`), in the
transaction of every write that can change what a recompute reads of them, whatever makes it (the
services, the imports' bulk paths, the cascades of a deletion, the admin, COPY): so that a worker
reads them again only after such a write (`scoring.nodes_kept`).

A recompute reads whole, and every time, the columns of `scoring.fetch`: of the objectives, key
results, initiatives, teams and people (kind `nodes`), and of the check-ins (kind `check_ins`). So an
insert or a deletion of any of their rows marks its organization, as does an update that changes one
of those columns; an update of anything else (a description, `updated_at`) does not.

A mark is a plain insert (one per organization and statement on PostgreSQL, over the transition
tables), never an update: a write does not wait for another's mark. Only PostgreSQL has the triggers:
its ids come from a sequence that a rollback does not take back, which is what makes a set of marks
name one state of the plan (`scoring.nodes_kept`); on SQLite nothing is kept and nothing is marked.
Every statement is assembled from this module's constants (hence the `noqa: S608`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from scoring.mark_triggers import PostgresqlMarks, postgresql_statements, triggers_install, triggers_remove

PREFIX = "scoring_node_mark"
MARK_TABLE = "scoring_nodemark"

# Per watched table: its kind of mark, its name, and the columns a recompute reads (besides `id` and
# `organization_id`, which a write never changes): `scoring.fetch`'s reads.
WATCHED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "objective": (
        "nodes",
        "objectives_objective",
        ("parent_id", "status", "priority_weight", "start_date", "end_date", "owner_id", "team_id", "title"),
    ),
    "key_result": (
        "nodes",
        "objectives_keyresult",
        ("objective_id", "start_value", "target_value", "current_value", "weight"),
    ),
    "initiative": (
        "nodes",
        "objectives_initiative",
        ("objective_id", "status", "end_date", "estimate_hours", "owner_id", "team_id", "title"),
    ),
    "team": ("nodes", "resources_team", ("parent_id", "name")),
    "person": ("nodes", "resources_person", ("team_id", "weekly_capacity_hours", "active", "name")),
    "check_in": (
        "check_ins",
        "feedback_checkin",
        ("objective_id", "initiative_id", "key_result_id", "author_id", "date"),
    ),
}


def _changed(columns: tuple[str, ...]) -> str:
    """The organizations of the new rows whose columns differ from the old ones (NULL-safe)."""
    differs = " OR ".join(f"n.{column} IS DISTINCT FROM o.{column}" for column in columns)
    return f"SELECT n.organization_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {differs}"  # noqa: S608


POSTGRESQL_MARKS: PostgresqlMarks = {
    name: (
        table,
        {
            "INSERT": "SELECT organization_id FROM new_rows",
            "UPDATE": _changed(columns),
            "DELETE": "SELECT organization_id FROM old_rows",
        },
    )
    for name, (_, table, columns) in WATCHED.items()
}


def _mark_of(kind: str) -> Callable[[str], str]:
    def mark(select: str) -> str:
        """Mark each organization of `select` (rows with an `organization_id`) once."""
        return (
            f"INSERT INTO {MARK_TABLE} (organization_id, kind)"  # noqa: S608
            f" SELECT DISTINCT organization_id, '{kind}' FROM ({select}) marked"
        )

    return mark


def _postgresql_sql() -> list[str]:
    return [
        statement
        for name, (kind, _, _) in WATCHED.items()
        for statement in postgresql_statements(PREFIX, {name: POSTGRESQL_MARKS[name]}, _mark_of(kind))
    ]


def node_mark_triggers_install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Install the marking triggers on PostgreSQL (a migration step); SQLite keeps nothing."""
    triggers_install(schema_editor, postgresql=_postgresql_sql(), sqlite=())


def node_mark_triggers_remove(schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers_remove(schema_editor, prefix=PREFIX, postgresql=POSTGRESQL_MARKS, sqlite=())
