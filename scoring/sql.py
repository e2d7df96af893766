"""Querysets read as SQL or as plain rows: for the fetch's reads of hundreds of thousands of rows and
the statements assembled around querysets (every table still read through `for_org`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast


def hours_of(field: str) -> Cast:
    """Hours as floats: summed and compared as the scoring engine does (and faster than decimals)."""
    return Cast(F(field), FloatField())


def sql_of(rows: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The queryset's SELECT and its parameters, unordered (to go inside a larger statement)."""
    sql, params = rows.order_by().query.sql_with_params()
    return sql, tuple(params)


def rows_of(queryset: QuerySet[Any, tuple[Any, ...]]) -> Iterable[tuple[Any, ...]]:
    """The rows of a `values_list` queryset. On PostgreSQL straight from the cursor: the driver already
    gives Python dates and numbers, and the ORM's per-row work costs more than the query itself on
    the hundreds of thousands of rows of a large organization."""
    if connection.vendor != "postgresql":
        return queryset
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
