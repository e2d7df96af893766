"""A JSON list's row → the task fields it sets: the task fields of the API, links and people by id.

A field left out is left as it is; a value of the wrong type is an error on its row and key.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from objectives.imports.inputs import RowInput, RowIssue, aware, guarded, storable
from objectives.imports.options import ImportOptions
from objectives.imports.rows import SourceRow

# The API's task fields that a JSON row may carry (links and people by id, as the API takes them).
JSON_FIELDS = {
    "external_key": (str,),
    "title": (str, type(None)),
    "status": (str,),
    "initiative": (int, type(None)),
    "objective": (int, type(None)),
    "team": (int, type(None)),
    "assignee": (int, type(None)),
    "effort_hours": (int, float, str, type(None)),
    "due_date": (str, type(None)),
    "completed_at": (str, type(None)),
    "external_url": (str, type(None)),
}
_LINKS = ("initiative", "objective", "team", "assignee")


def json_row_input(row: SourceRow, *, options: ImportOptions) -> RowInput:
    """A JSON row sets the fields it names, as the task API would (a field left out is left as it is)."""
    item = row.values
    if not isinstance(item, dict):
        given = RowInput(number=row.number, external_key="")
        given.errors.append(RowIssue(None, "Each task is a JSON object."))
        return given
    key = item.get("external_key")
    given = RowInput(
        number=row.number,
        external_key=key.strip() if isinstance(key, str) and storable(key) else "",
        columns={name: name for name in JSON_FIELDS},
    )
    for name in sorted(set(item) - set(JSON_FIELDS)):
        given.errors.append(RowIssue(name, "Unknown or read-only field."))
    for name, value in item.items():
        kinds = JSON_FIELDS.get(name)
        if kinds is None or name == "external_key":
            continue
        if isinstance(value, bool) or not isinstance(value, kinds):
            given.errors.append(RowIssue(name, "Not a valid value for this field."))
        elif isinstance(value, str) and not storable(value):
            given.errors.append(RowIssue(name, "Null characters are not allowed."))
        elif name in _LINKS:
            given.values[f"{name}_id"] = value
        elif name == "status":
            status = options.status_for(str(value))
            if status is None:
                given.errors.append(RowIssue(name, f"{value!r} is not a valid choice."))
            else:
                given.values["status"] = status
        elif name == "completed_at":
            given.values[name] = guarded(
                given, name, partial(_json_datetime, str(value) if value else None, options)
            )
        elif name in ("title", "external_url"):
            given.values[name] = value or ""
        else:
            given.values[name] = value  # the model's own field checks read it (dates, numbers)
    if "team" not in item and options.team_id is not None:
        given.values["team_id"] = options.team_id
        given.columns["team"] = "team"
    if options.base_url and given.external_key and "external_url" not in item:
        given.values["external_url"] = options.url_for(given.external_key)
        given.columns["external_url"] = "base_url"
    return given


def _json_datetime(value: str | None, options: ImportOptions) -> Any:
    """An ISO date and time (with no offset: in the import's time zone); a date alone is its midnight.
    Anything else is passed on for the model's own check (and its message)."""
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime(day.year, day.month, day.day) if day else None
    except ValueError:  # well formed, but no such day or time
        return value
    return aware(moment, options) if moment is not None else value
