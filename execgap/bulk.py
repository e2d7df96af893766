"""The two ways many rows reach a table fast: PostgreSQL's COPY from a CSV stream, or batched INSERTs.

Both take the rows as tuples in the order of the column names given; neither goes through the ORM
(no `save()`, no signals, no per-row objects): for derived rows written in bulk (a score snapshot)
and generated organizations (the benchmark). `rows_write` picks COPY on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models

Row = tuple[Any, ...]

INSERT_BATCH = 500
COPY_READ_SIZE = 1 << 20
COPY_CHUNK_ROWS = 5_000


class _CsvStream:
    """A file-like object whose `read` writes the CSV lines of `rows` on demand, a chunk at a time.

    The csv module writes None and "" alike, as an empty field: COPY reads that as NULL, except in
    the string columns named in FORCE_NOT_NULL (NOT NULL in the schema), where it is "".
    """

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = iter(rows)
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")
        self.pending = ""

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self.pending) < size:
            chunk = list(itertools.islice(self.rows, COPY_CHUNK_ROWS))
            if not chunk:
                break
            self.writer.writerows(chunk)
            self.pending += self.buffer.getvalue()
            self.buffer.seek(0)
            self.buffer.truncate()
        if size < 0:
            size = len(self.pending)
        text, self.pending = self.pending[:size], self.pending[size:]
        return text


def copy_rows(model: type[models.Model], columns: tuple[str, ...], rows: Iterable[Row]) -> None:
    quote = connection.ops.quote_name
    fields = {f.column: f for f in model._meta.concrete_fields}
    as_json = [
        (at, field.encoder)
        for at, column in enumerate(columns)
        if isinstance(field := fields[column], models.JSONField)
    ]
    if as_json:  # a JSON column's value goes in as its JSON text (the csv module would write repr())
        rows = (_json_encoded(row, as_json) for row in rows)
    text_columns = [c for c in columns if isinstance(fields[c], (models.CharField, models.TextField))]
    if any(fields[c].null for c in text_columns):  # "" and NULL would be one and the same
        raise RuntimeError(f"{model.__name__} has a nullable text column: COPY cannot tell NULL from ''.")
    force_not_null = f", FORCE_NOT_NULL ({', '.join(quote(c) for c in text_columns)})" if text_columns else ""
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"FROM STDIN WITH (FORMAT csv{force_not_null})"
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, _CsvStream(rows), size=COPY_READ_SIZE)


def _json_encoded(row: Row, as_json: list[tuple[int, type[json.JSONEncoder] | None]]) -> Row:
    values = list(row)
    for at, encoder in as_json:
        values[at] = json.dumps(values[at], cls=encoder)
    return tuple(values)


def _preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """The field's own conversion to a database value (time zones, decimals, booleans on SQLite)."""
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model: type[models.Model], columns: tuple[str, ...], rows: Iterable[Row]) -> None:
    quote = connection.ops.quote_name
    by_column = {f.column: f for f in model._meta.concrete_fields}
    prepare = [_preparer(by_column[column]) for column in columns]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([prep(value) for prep, value in zip(prepare, row, strict=True)])
            if len(batch) == INSERT_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def rows_write(model: type[models.Model], columns: tuple[str, ...], rows: Iterable[Row]) -> None:
    """Write `rows` into `model`'s table: COPY on PostgreSQL, batched INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        copy_rows(model, columns, rows)
    else:
        insert_rows(model, columns, rows)
