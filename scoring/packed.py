"""Columns of numbers packed into bytes, for the sums kept between recomputes (`staffing_kept`,
`task_sums_kept`): read back in a few milliseconds where JSON or rows of as many numbers take a tenth of
a second at a large organization, and the very same numbers (floats bit for bit).

The bytes hold the row count of each group of columns (little-endian 64-bit integers), then each
column as an array of little-endian 64-bit integers (`q`) or floats (`d`); a group's columns all have
its row count.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Sequence
from typing import Any

COUNT = struct.Struct("<q")


def _little_endian(values: array[Any]) -> array[Any]:
    if sys.byteorder == "big":
        values.byteswap()
    return values


def columns_packed(groups: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> bytes:
    """`groups`: per group, the type codes of its columns and the columns (one per code, of one length)."""
    counts = b"".join(COUNT.pack(len(columns[0]) if columns else 0) for _, columns in groups)
    arrays = (
        _little_endian(array(code, column)).tobytes()
        for codes, columns in groups
        for code, column in zip(codes, columns, strict=True)
    )
    return counts + b"".join(arrays)


def columns_unpacked(packed: bytes, codes: Sequence[str]) -> list[list[Any]]:
    """The columns of `columns_packed` for groups of these type codes, as lists, in order."""
    offset = COUNT.size * len(codes)
    counts = [COUNT.unpack_from(packed, at * COUNT.size)[0] for at in range(len(codes))]
    columns = []
    for group_codes, count in zip(codes, counts, strict=True):
        for code in group_codes:
            column = array(code)
            column.frombytes(packed[offset : offset + count * column.itemsize])
            columns.append(_little_endian(column).tolist())
            offset += count * column.itemsize
    return columns
