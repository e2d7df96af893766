"""What makes a bulk load fast on PostgreSQL, and the set-based checks that stand in for the per-row ones.

A million rows through per-row foreign-key triggers and a dozen incrementally maintained indexes
cost several times the COPY itself. Inside the load's transaction, therefore (all or nothing: a
failure puts everything back), PostgreSQL drops the tables' secondary indexes and builds them again
at the end, and, for a superuser, leaves the triggers off, as pg_restore does; every link is then
checked once, set-based, which also checks what no foreign key can: that each link stays inside the
organization, and the task tallies that the triggers would have kept are counted once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models

from execgap.tenancy import OrgOwnedModel
from objectives.tallies import tallies_rebuild

INDEX_BUILD_MEMORY = "512MB"


@contextmanager
def bulk_load(
    tables: Sequence[type[models.Model]], *, organization_id: int, rebuild_indexes: bool
) -> Iterator[None]:
    """Around writing the organization's rows into `tables`, inside a transaction."""
    postgresql = connection.vendor == "postgresql"
    replica = postgresql and _is_superuser()
    indexes = _secondary_indexes(tables) if postgresql and rebuild_indexes else []
    with connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        if replica:
            cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        if replica:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
    if indexes:
        with connection.cursor() as cursor:
            # An index cannot be built while foreign-key checks are pending (rows written earlier in
            # the transaction, or every row where the triggers stayed on): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")  # sorts in memory
            for _, definition in indexes:
                cursor.execute(definition)
    broken = links_outside(tables, organization_id=organization_id)
    if broken:
        raise RuntimeError(f"The generated organization has links to missing or foreign rows: {broken}")
    # The triggers that keep the task tallies were off too (or ran once per statement): count them once.
    tallies_rebuild(organization_id=organization_id)


def links_outside(tables: Sequence[type[models.Model]], *, organization_id: int) -> dict[str, int]:
    """For each link of the organization's rows in `tables`: how many point at a missing row or at a
    row of another organization (only the links that have any are listed). One query per table."""
    quote, broken = connection.ops.quote_name, {}
    with connection.cursor() as cursor:
        for model in tables:
            links = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.ForeignKey)
                and f.name != "organization"
                and isinstance(f.related_model, type)
            ]
            if not links:
                continue
            joins, counts = [], []
            for number, link in enumerate(links):
                target = link.related_model
                column, alias = f"c.{quote(str(link.column))}", f"p{number}"
                joins.append(f"LEFT JOIN {quote(target._meta.db_table)} {alias} ON {alias}.id = {column}")
                foreign = (
                    f" OR {alias}.organization_id <> c.organization_id"
                    if issubclass(target, OrgOwnedModel)
                    else ""
                )
                counts.append(
                    f"COUNT(*) FILTER (WHERE {column} IS NOT NULL AND ({alias}.id IS NULL{foreign}))"
                )
            cursor.execute(
                f"SELECT {', '.join(counts)} FROM {quote(model._meta.db_table)} c {' '.join(joins)} "  # noqa: S608
                "WHERE c.organization_id = %s",  # ↑ model tables and columns only
                [organization_id],
            )
            for link, count in zip(links, cursor.fetchone(), strict=True):
                if count:
                    broken[f"{model.__name__}.{link.name}"] = int(count)
    return broken


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _secondary_indexes(tables: Sequence[type[models.Model]]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of each index of `tables` that backs no constraint (primary key,
    unique constraint): those can be dropped and built again."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = to_regnamespace(current_schema())
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY t.relname, i.relname
            """,
            [[model._meta.db_table for model in tables]],
        )
        return [(str(name), str(definition)) for name, definition in cursor.fetchall()]
