"""Reading a CSV download in the tests: its bytes, its name, its rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

BOM = b"\xef\xbb\xbf"


def download(client: Client, url: str, data: dict[str, str] | None = None) -> tuple[list[list[str]], Any]:
    """The rows of a CSV download (its header first) and the response, checking it is one."""
    response = client.get(url, data or {})
    assert response.status_code == 200, response.content[:500] if not response.streaming else response
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content)
    assert body.startswith(BOM), "a spreadsheet reads UTF-8 by its byte order mark"
    return list(csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8")))), response


def download_queries(client: Client, url: str, data: dict[str, str] | None = None) -> int:
    """How many queries a download runs, its streamed body read to the end."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
        assert response.status_code == 200
        b"".join(response.streaming_content)
    return len(queries)


def column(rows: list[list[str]], header: str) -> list[str]:
    """The values of one column, by its header, below the header line."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
