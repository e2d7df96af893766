"""The API's JSON parser: the body's size and nesting are bounded before it is parsed.

DRF reads a JSON body straight from the request stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE
(which only guards `request.body`), and parses it with a recursive parser. Here the body is read
up to the bound, its depth scanned without recursion, and only finite numbers are accepted: each
refusal is a 400 that says why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from execgap.json_input import JSONInputError, json_loads_bounded


class BoundedJSONParser(JSONParser):
    """JSON of at most `max_bytes` (None: DATA_UPLOAD_MAX_MEMORY_SIZE) nested at most
    EXECGAP_JSON_MAX_DEPTH deep."""

    max_bytes: int | None = None

    @classmethod
    def sized(cls, max_bytes: int) -> type[BoundedJSONParser]:
        """This parser for bodies of up to `max_bytes` (a file import's, say)."""
        return type(f"BoundedJSONParser{max_bytes}", (cls,), {"max_bytes": max_bytes})

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        limit = self.max_bytes if self.max_bytes is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content = stream.read(limit + 1) if stream is not None else b""
        if len(content) > limit:
            raise ParseError(f"The request body is larger than {limit:,} bytes.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json_loads_bounded(content.decode(encoding))
        except JSONInputError as error:
            raise ParseError(f"JSON parse error - {error}") from error
        except ValueError as error:  # malformed, or an integer of more digits than Python reads
            raise ParseError(f"JSON parse error - {error}") from error
