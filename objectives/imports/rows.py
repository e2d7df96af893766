"""What an import reads: the rows of a Jira CSV export or of a JSON list, as they came.

`ImportRows` is the parsed input the service takes (and what a background job stores): each
record keeps its row number as the client counts it (a spreadsheet's row for CSV, the header
being row 1; the position in the list, from 1, for JSON) so that every error names it.
Reading refuses only what cannot be read at all (not UTF-8, no "Issue key" column, not a JSON
list): that is a 400 for the whole request. Everything else is judged row by row later.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError

from execgap.json_input import json_loads_bounded

# Beyond these a file is split by the client: one import is one job and one transaction.
MAX_ROWS = 100_000
MAX_BYTES = 50 * 2**20

SourceKind = Literal["jira_csv", "json", "github_json"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("jira_csv", "json", "github_json")

_CUSTOM_FIELD = re.compile(r"^custom field \((.*)\)$")
_SPACES = re.compile(r"\s+")


def column_name(header: str) -> str:
    """The canonical (lower case) name of a Jira column: "Custom field (Epic Link)" → "epic link"."""
    name = _SPACES.sub(" ", header.strip().lower())
    match = _CUSTOM_FIELD.match(name)
    return match.group(1).strip() if match else name


@dataclass(frozen=True)
class SourceRow:
    """One record: `values` maps a CSV column's canonical name (or a JSON key) to its value."""

    number: int
    values: Mapping[str, Any]


@dataclass(frozen=True)
class ImportRows:
    """The rows of one import. `columns` are the CSV header's columns as written (empty for JSON)."""

    kind: SourceKind
    rows: Sequence[SourceRow]
    columns: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.rows)

    def has_column(self, name: str) -> bool:
        """Does the CSV have this column (canonical name)? A column absent leaves its field as it is."""
        return any(column_name(header) == name for header in self.columns)

    def as_json(self, *, keep: Collection[str] | None = None) -> dict[str, Any]:
        """A compact JSON copy, for a background job's parameters: a CSV row's values as a list in
        the order of `names`, only for the columns in `keep` (all when None)."""
        if self.kind != "jira_csv":
            return {"kind": self.kind, "columns": [], "rows": [[row.number, row.values] for row in self.rows]}
        names = sorted({name for row in self.rows for name in row.values if keep is None or name in keep})
        return {
            "kind": self.kind,
            "columns": list(self.columns),
            "names": names,
            "rows": [[row.number, [row.values.get(name, "") for name in names]] for row in self.rows],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportRows:
        if data["kind"] != "jira_csv":
            rows = [SourceRow(number=number, values=values) for number, values in data["rows"]]
        else:
            names = data["names"]
            rows = [
                SourceRow(number=number, values=dict(zip(names, cells, strict=True)))
                for number, cells in data["rows"]
            ]
        return cls(kind=data["kind"], columns=tuple(data["columns"]), rows=rows)


def read_jira_csv(content: bytes | str) -> ImportRows:
    """Read a Jira CSV export (UTF-8, with or without a byte-order mark; fields may hold quoted commas
    and line breaks). A column Jira repeats (Labels, Sprint, ...) keeps its first non-empty value;
    blank lines are skipped.
    """
    text = _decoded(content)
    if "\x00" in text:  # no database column takes it
        raise ValidationError({"file": "The file holds a NUL character: is it a CSV export?"})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise ValidationError({"file": "The file is empty: send a Jira CSV export with its header row."})
        names = [column_name(cell) for cell in header]
        if "issue key" not in names:
            raise ValidationError(
                {"file": "The file has no 'Issue key' column: export the issues from Jira as CSV."}
            )
        rows: list[SourceRow] = []
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            values: dict[str, str] = {}
            for name, cell in zip(names, record, strict=False):
                if name and (name not in values or (not values[name] and cell)):
                    values[name] = cell
            rows.append(SourceRow(number=number, values=values))
            _refuse_too_many(len(rows))
    except csv.Error as error:
        raise ValidationError({"file": f"The file is not valid CSV ({error})."}) from error
    return ImportRows(kind="jira_csv", rows=rows, columns=tuple(header))


def read_json_rows(data: Any) -> ImportRows:
    """A JSON list of task objects (the task fields of the API; `external_key` required), or a GitHub
    Issues export (`gh issue list --json ...`: its first item has a `number` and no `external_key`)."""
    if not isinstance(data, list):
        raise ValidationError({"tasks": "Send a JSON list of task objects."})
    _refuse_too_many(len(data))
    kind: SourceKind = "github_json" if data and _github_issue(data[0]) else "json"
    return ImportRows(
        kind=kind, rows=[SourceRow(number=number, values=item) for number, item in enumerate(data, 1)]
    )


def _github_issue(item: Any) -> bool:
    return (
        isinstance(item, Mapping)
        and "external_key" not in item
        and "number" in item
        and ("url" in item or "state" in item)
    )


def read_json_text(content: bytes | str) -> ImportRows:
    try:
        data = json_loads_bounded(_decoded(content))
    except ValueError as error:
        raise ValidationError({"file": f"The file is not valid JSON ({error})."}) from error
    return read_json_rows(data)


def read_upload(content: bytes | str, *, name: str = "", content_type: str = "") -> ImportRows:
    """An uploaded file: a JSON list when it says so (by name, type or its first character), else CSV."""
    text = _decoded(content)
    looks_json = text.lstrip()[:1] == "["
    if name.lower().endswith(".json") or "json" in content_type.lower() or looks_json:
        return read_json_text(text)
    return read_jira_csv(text)


def _decoded(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            {"file": "The file is not UTF-8 text: export it from Jira as UTF-8."}
        ) from error


def _refuse_too_many(count: int) -> None:
    if count > MAX_ROWS:
        raise ValidationError({"file": f"More than {MAX_ROWS:,} rows: split the file."})
