"""The objectives above a few objectives: one recursive query, whatever the size of the cascade.

A page that shows where a task or an objective sits in the cascade (a breadcrumb, the chain of goals
a task serves) needs the few objectives above the ones it shows, not the organization's tens of
thousands. `WITH RECURSIVE` climbs from the given objectives to their roots in one round trip, on
PostgreSQL and SQLite alike; UNION (not UNION ALL) stops on a cycle, which the model refuses anyway.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import connection

from execgap.models import Organization
from objectives.models import Objective

# (parent id, title) of an objective, by its id.
Ancestry = dict[int, tuple[int | None, str]]


def objective_ancestry(*, organization: Organization | int, objective_ids: Collection[int]) -> Ancestry:
    """The given objectives of `organization` and every objective above them: (parent id, title) by
    id. One query (none for no id); ids of another organization find nothing, and the climb never
    leaves the organization."""
    ids = sorted({pk for pk in objective_ids if pk is not None})
    if not ids:
        return {}
    org_id = organization if isinstance(organization, int) else organization.pk
    table = connection.ops.quote_name(Objective._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"WITH RECURSIVE up(id, parent_id, title) AS ("  # noqa: S608 (the table name is the model's; values are parameters)
        f" SELECT id, parent_id, title FROM {table} WHERE organization_id = %s AND id IN ({placeholders})"
        f" UNION"
        f" SELECT o.id, o.parent_id, o.title FROM {table} o JOIN up ON o.id = up.parent_id"
        f" WHERE o.organization_id = %s"
        f") SELECT id, parent_id, title FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_id, *ids, org_id])
        return {pk: (parent_id, title) for pk, parent_id, title in cursor.fetchall()}


def chain_up(ancestry: Ancestry, objective_id: int | None) -> list[tuple[int, str]]:
    """(id, title) of `objective_id` and the objectives above it, from the root down."""
    chain: list[tuple[int, str]] = []
    seen: set[int] = set()
    while objective_id is not None and objective_id in ancestry and objective_id not in seen:
        seen.add(objective_id)
        parent_id, title = ancestry[objective_id]
        chain.append((objective_id, title))
        objective_id = parent_id
    return chain[::-1]
