"""From a source row to the task fields it sets: Jira's columns and JSON's keys, value by value.

Nothing here reads the database: names that stand for rows (an assignee, a parent) are kept as
the file wrote them and resolved by `planning` against the organization's rows in bulk.

Jira columns (matched whatever their case; "Custom field (Epic Link)" is "Epic Link"):

| column | field |
|---|---|
| Issue key | `external_key` (required: it is how a re-import finds the task again) |
| Summary | `title` (line breaks and runs of spaces become one space) |
| Status | `status`, through the status map; a status it does not know is a row error |
| Assignee | `assignee`: a person of the organization by email or name (see below) |
| Original Estimate | `effort_hours` (Jira gives seconds); empty: no estimate |
| Parent, Parent id, Parent Link, Epic Link, Parent summary | the goal the task links to (see `planning`) |
| Resolved | `completed_at` of a done task; a task not done has none |
| Due Date | `due_date` |
| Issue id | lets another row's "Parent id" name this row |

An assignee no person of the organization matches (or two people do) is a warning, not an error:
the task is imported and its assignee left as it is (none on a new task), so people missing from
ExecGap never hold back the work they did.

Every other column (Labels, Sprint, Priority, Issue Type, ...) is ignored: ExecGap keeps no such
field, and the report lists the columns it ignored. A column absent from the file leaves its field
as it is on tasks that exist (and at its default on new ones); a cell present but empty clears it,
except the link columns: an empty parent keeps a link made in ExecGap.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone as django_timezone
from django.utils.dateparse import parse_date, parse_datetime

from objectives.imports.options import ImportOptions
from objectives.imports.rows import ImportRows, SourceRow, column_name
from objectives.models import TaskStatus

LINK_COLUMNS = ("parent", "parent id", "parent link", "epic link", "parent summary")
JIRA_COLUMNS = (
    "issue key", "summary", "status", "assignee", "original estimate", *LINK_COLUMNS, "resolved",
    "due date", "issue id",
)  # fmt: skip

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

_SPACES = re.compile(r"\s+")
_HOUR = Decimal(3600)
_CENT = Decimal("0.01")
_JIRA_DATETIMES = (
    "%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %H:%M", "%Y/%m/%d %H:%M",
)  # fmt: skip
_JIRA_DATES = ("%d/%b/%y", "%d/%b/%Y", "%Y/%m/%d")
DATE_HELP = "Use YYYY-MM-DD or Jira's 12/Mar/24."
DATETIME_HELP = "Use YYYY-MM-DD HH:MM or Jira's 12/Mar/24 4:15 PM."


@dataclass(frozen=True)
class RowIssue:
    """An error or a warning about one row: the column (or JSON key, or option) it is about."""

    column: str | None
    message: str


@dataclass
class RowInput:
    """What one source row asks for.

    `values` maps task attributes to set (`title`, `status`, `team_id`, ...: only those the source
    gives). `assignee_name` is Jira's Assignee (None: no such column; "": unassigned).
    `link_refs` are the (column, value) pairs that name the task's parent, empty to keep its link.
    `derive_completed`: `completed_at` follows the final status (Jira's Resolved for a done task).
    `columns` names, per task field, the column to blame in an error.
    """

    number: int
    external_key: str
    issue_id: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    assignee_name: str | None = None
    link_refs: list[tuple[str, str]] = field(default_factory=list)
    derive_completed: bool = False
    resolved: datetime | None = None
    columns: dict[str, str] = field(default_factory=dict)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)


class JiraColumns:
    """The columns of one export: which ones it has, and how its header spells each."""

    def __init__(self, rows: ImportRows) -> None:
        self.labels: dict[str, str] = {}
        for header in rows.columns:
            self.labels.setdefault(column_name(header), header.strip())
        self.present = frozenset(self.labels)
        self.ignored = tuple(
            label for name, label in self.labels.items() if name and name not in JIRA_COLUMNS
        )
        self.blamed = self.blame()  # shared by every row (read only)

    def label(self, name: str) -> str:
        return self.labels.get(name, name.title())

    def blame(self) -> dict[str, str]:
        """Task field → the column an error on it is about."""
        return {
            "external_key": self.label("issue key"),
            "title": self.label("summary"),
            "status": self.label("status"),
            "assignee": self.label("assignee"),
            "effort_hours": self.label("original estimate"),
            "completed_at": self.label("resolved"),
            "due_date": self.label("due date"),
            "external_url": "base_url",
            "team": "team",
        }


def jira_row_input(row: SourceRow, *, columns: JiraColumns, options: ImportOptions) -> RowInput:
    cells = row.values
    has = columns.present.__contains__
    given = RowInput(
        number=row.number,
        external_key=str(cells.get("issue key", "")).strip(),
        issue_id=str(cells.get("issue id", "")).strip(),
        columns=columns.blamed,
        derive_completed=True,
    )
    values = given.values
    if has("summary"):
        values["title"] = _SPACES.sub(" ", cells.get("summary", "")).strip()
    if has("status"):
        _jira_status(given, cells.get("status", ""), columns.label("status"), options)
    if has("original estimate"):
        _jira_estimate(given, cells.get("original estimate", ""), columns.label("original estimate"))
    if has("due date"):
        text = cells.get("due date", "").strip()
        values["due_date"] = _jira_date(given, text, columns.label("due date"), options) if text else None
    if has("resolved") and cells.get("resolved", "").strip():
        given.resolved = _jira_datetime(given, cells["resolved"].strip(), columns.label("resolved"), options)
    if has("assignee"):
        given.assignee_name = _SPACES.sub(" ", cells.get("assignee", "")).strip()
    given.link_refs = [
        (columns.label(name), cells[name].strip())
        for name in LINK_COLUMNS
        if has(name) and cells.get(name, "").strip()
    ]
    if options.base_url and given.external_key:
        values["external_url"] = options.url_for(given.external_key)
    if options.team_id is not None:
        values["team_id"] = options.team_id
    return given


def _jira_status(given: RowInput, text: str, column: str, options: ImportOptions) -> None:
    if not text.strip():
        given.errors.append(RowIssue(column, "This field is required."))
        return
    status = options.status_for(text)
    if status is None:
        given.errors.append(
            RowIssue(
                column,
                f"{text.strip()!r} is not a status the status map knows: add it to status_map "
                f"({', '.join(TaskStatus.values)}).",
            )
        )
        return
    given.values["status"] = status


def _jira_estimate(given: RowInput, text: str, column: str) -> None:
    text = text.strip()
    if not text:
        given.values["effort_hours"] = None
        return
    try:
        seconds = Decimal(text)
    except InvalidOperation:
        seconds = Decimal("NaN")
    if not seconds.is_finite():
        given.errors.append(RowIssue(column, "Give the estimate in seconds, such as 7200 for 2 hours."))
        return
    if seconds < 0:
        given.errors.append(RowIssue(column, "Must not be negative."))
        return
    given.values["effort_hours"] = (seconds / _HOUR).quantize(_CENT, rounding=ROUND_HALF_UP)


def _jira_datetime(given: RowInput, text: str, column: str, options: ImportOptions) -> datetime | None:
    moment = _parsed_datetime(text)
    if moment is None:
        given.errors.append(RowIssue(column, f"Not a date and time: {text!r}. {DATETIME_HELP}"))
        return None
    return _aware(moment, options)


def _jira_date(given: RowInput, text: str, column: str, options: ImportOptions) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _JIRA_DATES:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    moment = _parsed_datetime(text)  # a due date exported with its time ("12/Mar/24 12:00 AM")
    if moment is None:
        given.errors.append(RowIssue(column, f"Not a date: {text!r}. {DATE_HELP}"))
        return None
    return _aware(moment, options).astimezone(zoneinfo.ZoneInfo(options.timezone)).date()


def _parsed_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _JIRA_DATETIMES:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _aware(moment: datetime, options: ImportOptions) -> datetime:
    if django_timezone.is_aware(moment):
        return moment
    return django_timezone.make_aware(moment, zoneinfo.ZoneInfo(options.timezone))


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
        external_key=key.strip() if isinstance(key, str) and _storable(key) else "",
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
        elif isinstance(value, str) and not _storable(value):
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
            given.values[name] = _json_datetime(str(value) if value else None, options)
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


def _storable(text: str) -> bool:
    """Text a database column takes: no NUL character, nothing UTF-8 cannot encode."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


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
    return _aware(moment, options) if moment is not None else value
