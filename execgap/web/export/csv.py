"""Writing rows as CSV lines, a chunk of rows at a time."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify

from execgap.web.paging import Order
from execgap.web.paging.keyset import key_values

# Rows read per query: large enough that a million rows take a few hundred queries, small enough
# that a chunk of model instances stays a few megabytes.
CHUNK_SIZE = 2000

BYTE_ORDER_MARK = "\ufeff"
# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list): such a cell is
# quoted with a leading apostrophe, shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    """A value as a CSV cell: numbers as they are, dates in ISO 8601, booleans as yes/no, nothing
    as an empty cell, and text that starts like a formula prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return str(value)  # a number the app computed: "-3.5" is a number, not a formula
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def keyset_chunks(rows: QuerySet[Any], order: Order, *, size: int | None = None) -> Iterator[list[Any]]:
    """`rows` in `order`, `size` (CHUNK_SIZE) at a time: each chunk one query for the rows after the
    last one read (never an OFFSET, so the last chunk costs what the first did)."""
    size = size or CHUNK_SIZE
    ordered = rows.order_by(*order.order_by())
    after: list[Any] | None = None
    while True:
        found = ordered if after is None else ordered.filter(order.after(after))
        chunk = list(found[:size])
        if chunk:
            yield chunk
        if len(chunk) < size:
            return
        after = key_values(order, chunk[-1])


def cursor_chunks(rows: QuerySet[Any], order: Order, *, size: int | None = None) -> Iterator[list[Any]]:
    """`rows` in `order`, `size` (CHUNK_SIZE) at a time, from one query read through a server-side
    cursor on PostgreSQL: for a selection too costly to run again per chunk (an annotated filter
    over every task), where `keyset_chunks` would run it once a chunk."""
    size = size or CHUNK_SIZE
    chunk: list[Any] = []
    for row in rows.order_by(*order.order_by()).iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_lines(
    headers: Sequence[str],
    chunks: Iterable[Sequence[Any]],
    values: Callable[[Any], Sequence[Any]],
) -> Iterator[str]:
    """The CSV text: the byte order mark and the header line, then a piece per chunk of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell_text(header) for header in headers])
    yield BYTE_ORDER_MARK + _take(buffer)
    for chunk in chunks:
        writer.writerows([cell_text(value) for value in values(row)] for row in chunk)
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_filename(*parts: str, day: datetime.date) -> str:
    """`acme-objective-launch-v2-tasks-2026-12-05.csv`: each part slugified, empty ones left out."""
    words = [slugify(part)[:60].strip("-") for part in parts]
    return "-".join([word for word in words if word] + [day.isoformat()]) + ".csv"
