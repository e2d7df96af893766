"""Reads of the dashboards: snapshots and prefetched rows, in a number of queries that does not grow
with the organization (`health`, `gaps`, `strategy`, `detail`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Window


def capped(rows: QuerySet[Any], limit: int) -> tuple[list[Any], int]:
    """The first `limit` rows and how many rows there are in all, in one query (the count is a window
    over the whole set, computed before the limit)."""
    first = list(rows.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return first, (first[0].rows_in_all if first else 0)
