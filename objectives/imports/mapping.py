"""A Jira CSV row → the task fields it sets, column by column.

Nothing here reads the database: names that stand for rows (an assignee, a parent) are kept as
the file wrote them and resolved by `objectives.imports.links` against the organization's rows
in bulk.

Jira columns (matched whatever their case; "Custom field (Epic Link)" is "Epic Link"; a column
Jira repeats, such as Labels or Sprint, is read once):

| column | field |
|---|---|
| Issue key | `external_key` (required: it is how a re-import finds the task again) |
| Summary | `title` (line breaks and runs of spaces become one space) |
| Status | `status`, through the status map (see `options`); a status it does not know is a row error |
| Assignee | `assignee`: a person of the organization by email or name (see below) |
| Original Estimate | `effort_hours` (Jira gives seconds); empty: no estimate |
| Parent, Parent id, Parent Link, Epic Link | the parent by Issue id or key (see `links`) |
| Parent summary | the parent by title, only when it is not found by id or key |
| Issue Type | tells an epic, which may stand for a goal rather than be a task |
| Resolved | `completed_at` of a done task; a task not done has none |
| Due Date | `due_date` |
| Issue id | lets another row's Parent name this row |

An assignee no person of the organization matches (or two people do) is a warning, not an error:
the task is imported and its assignee left as it is (none on a new task), so people missing from
ExecGap never hold back the work they did.

Every other column (Labels, Sprint, Priority, Description, ...) is ignored: ExecGap keeps no such
field, and the report lists the columns it ignored. A column absent from the file leaves its field
as it is on tasks that exist (and at its default on new ones); a cell present but empty clears it,
except the link columns: an empty parent keeps a link made in ExecGap.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from execgap.validators import task_effort_bound
from objectives.imports.inputs import SPACES, RowInput, RowIssue, guarded, jira_date, jira_datetime
from objectives.imports.options import ImportOptions
from objectives.imports.rows import ImportRows, SourceRow, column_name
from objectives.imports.tasks_json import JSON_FIELDS, json_row_input
from objectives.models import TaskStatus

__all__ = [
    "JIRA_COLUMNS", "JSON_FIELDS", "JiraColumns", "RowInput", "RowIssue", "jira_row_input", "json_row_input",
]  # fmt: skip

PARENT_ID_COLUMNS = ("parent", "parent id", "parent link", "epic link")
LINK_COLUMNS = (*PARENT_ID_COLUMNS, "parent summary")
JIRA_COLUMNS = (
    "issue key", "summary", "status", "assignee", "original estimate", *LINK_COLUMNS, "resolved",
    "due date", "issue id", "issue type",
)  # fmt: skip

_SPACES = SPACES
_HOUR = Decimal(3600)
_CENT = Decimal("0.01")


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
    """What one row of a Jira export asks for; a value that cannot be read is an error on its row
    and column, never an exception."""
    cells = row.values
    has = columns.present.__contains__
    given = RowInput(
        number=row.number,
        external_key=_cell(cells, "issue key"),
        issue_id=_cell(cells, "issue id"),
        issue_type=_cell(cells, "issue type"),
        summary=_SPACES.sub(" ", _cell(cells, "summary")),
        status_name=_SPACES.sub(" ", _cell(cells, "status")),
        columns=columns.blamed,
        derive_completed=True,
    )
    values = given.values
    if has("summary"):
        values["title"] = given.summary
    if has("status"):
        label = columns.label("status")
        guarded(given, label, lambda: _jira_status(given, _cell(cells, "status"), label, options))
    if has("original estimate"):
        label = columns.label("original estimate")
        guarded(given, label, lambda: _jira_estimate(given, _cell(cells, "original estimate"), label))
    if has("due date"):
        label, text = columns.label("due date"), _cell(cells, "due date")
        values["due_date"] = (
            guarded(given, label, lambda: jira_date(given, text, label, options)) if text else None
        )
    if has("resolved") and _cell(cells, "resolved"):
        label, text = columns.label("resolved"), _cell(cells, "resolved")
        given.resolved = guarded(given, label, lambda: jira_datetime(given, text, label, options))
    if has("assignee"):
        given.assignee_name = _SPACES.sub(" ", _cell(cells, "assignee"))
    given.parent_ids = [
        (columns.label(name), _cell(cells, name)) for name in PARENT_ID_COLUMNS if _cell(cells, name)
    ]
    if _cell(cells, "parent summary"):
        given.parent_titles = [
            (columns.label("parent summary"), _SPACES.sub(" ", _cell(cells, "parent summary")))
        ]
    if options.base_url and given.external_key:
        values["external_url"] = options.url_for(given.external_key)
    if options.team_id is not None:
        values["team_id"] = options.team_id
    return given


def _cell(cells: object, name: str) -> str:
    value = cells.get(name, "") if isinstance(cells, dict) else ""
    return value.strip() if isinstance(value, str) else ""


def _jira_status(given: RowInput, text: str, column: str, options: ImportOptions) -> None:
    if not text.strip():
        given.errors.append(RowIssue(column, "This field is required."))
        return
    status = options.status_for(text)
    if status is None:
        given.errors.append(
            RowIssue(
                column,
                f"{text.strip()!r} is not a status the status map knows: map it to a task status "
                f"on the import page, or in status_map ({', '.join(TaskStatus.values)}).",
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
    bound = task_effort_bound()
    if seconds > bound * _HOUR:  # compared before dividing: 1e27 seconds have no hours to the cent
        given.errors.append(
            RowIssue(column, f"Must be at most {bound * _HOUR:,f} seconds ({bound:,f} hours: a task's most).")
        )
        return
    given.values["effort_hours"] = (seconds / _HOUR).quantize(_CENT, rounding=ROUND_HALF_UP)
