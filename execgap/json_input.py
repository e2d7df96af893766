"""JSON read with its nesting bounded before it is parsed, and its numbers finite.

Python's parser recurses once per level of nesting: a body of 50,000 `[` raises RecursionError (a
500, a crashed job) before any validation could answer. `json_loads_bounded` first counts the text's
bracket depth (strings left out, in a loop: no recursion) and refuses what is deeper than the bound; it also
refuses numbers too large for a float (`1e400` would otherwise read as infinity).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.conf import settings

# A JSON string (escapes included), and every byte but the four brackets.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


class JSONInputError(ValueError):
    """JSON that is refused before or while it is parsed; the message says why, for the user."""


def max_depth() -> int:
    return int(settings.EXECGAP_JSON_MAX_DEPTH)


def json_depth_check(content: bytes | str, limit: int | None = None) -> None:
    """Raise JSONInputError when arrays and objects nest deeper than `limit` (the setting
    EXECGAP_JSON_MAX_DEPTH when None). Brackets inside strings do not count. Malformed JSON is left
    for the parser to refuse."""
    limit = max_depth() if limit is None else limit
    raw = content.encode() if isinstance(content, str) else content
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = 0
    for bracket in brackets:
        depth += 1 if bracket in _OPENING else -1
        if depth > limit:
            raise JSONInputError(f"The JSON is nested deeper than {limit} levels.")


def finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent, refused when no float can hold it."""
    value = float(text)
    if not math.isfinite(value):
        raise JSONInputError(f"The number {text[:40]} is too large.")
    return value


def _refuse_constant(name: str) -> Any:
    raise JSONInputError(f"{name} is not a JSON number.")


def json_loads_bounded(content: bytes | str, *, limit: int | None = None) -> Any:
    """`json.loads`, with the depth checked first and only finite numbers (no NaN, no Infinity).

    Raises JSONInputError (a ValueError) for what it refuses, and ValueError for malformed JSON.
    """
    json_depth_check(content, limit)
    return json.loads(content, parse_float=finite_float, parse_constant=_refuse_constant)
