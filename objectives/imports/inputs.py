"""What every source's mapping shares: a row's input and its issues, and the reading of dates.

Reading a value never raises: a value that cannot be read is an error on its row, naming the
column (`guarded` turns an unexpected failure of a reader into one).
"""

from __future__ import annotations

import logging
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.utils import timezone as django_timezone

from objectives.imports.options import ImportOptions

logger = logging.getLogger(__name__)

SPACES = re.compile(r"\s+")
_JIRA_DATETIMES = (
    "%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%Y %H:%M", "%Y/%m/%d %H:%M",
)  # fmt: skip
_JIRA_DATES = ("%d/%b/%y", "%d/%b/%Y", "%Y/%m/%d")
DATE_HELP = "Use YYYY-MM-DD or Jira's 12/Mar/24."
DATETIME_HELP = "Use YYYY-MM-DD HH:MM or Jira's 12/Mar/24 4:15 PM."

T = TypeVar("T")


@dataclass(frozen=True)
class RowIssue:
    """An error or a warning about one row: the column (or JSON key, or option) it is about."""

    column: str | None
    message: str


@dataclass
class RowInput:
    """What one source row asks for.

    `values` maps task attributes to set (`title`, `status`, `team_id`, ...: only those the source
    gives). `assignee_name` is the assignee as the file names them (None: no such column; "":
    unassigned). `parent_ids` are the (column, value) pairs that name the row's parent by Issue id or
    key (Parent, Parent id, Parent Link, Epic Link), `parent_titles` those that name it by title
    (Parent summary; a GitHub milestone), read only when no parent is found by id, and
    `optional_titles` those that link when mapped but are no parent when not (GitHub labels).
    `issue_type` and `summary` tell an epic (or any parent) that may stand for a goal.
    `status_name` is the status as the file wrote it. `derive_completed`: `completed_at` follows the
    final status (Jira's Resolved for a done task). `columns` names, per task field, the column to
    blame in an error.
    """

    number: int
    external_key: str
    issue_id: str = ""
    issue_type: str = ""
    summary: str = ""
    status_name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    assignee_name: str | None = None
    parent_ids: list[tuple[str, str]] = field(default_factory=list)
    parent_titles: list[tuple[str, str]] = field(default_factory=list)
    optional_titles: list[tuple[str, str]] = field(default_factory=list)
    derive_completed: bool = False
    resolved: datetime | None = None
    columns: dict[str, str] = field(default_factory=dict)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)

    @property
    def link_refs(self) -> list[tuple[str, str]]:
        """Every parent the row names, by id or key first."""
        return [*self.parent_ids, *self.parent_titles, *self.optional_titles]


def guarded(given: RowInput, column: str, read: Callable[[], T]) -> T | None:
    """`read()`, or None with an error on `column` of the row when it fails unexpectedly (a value
    no reader foresaw must not stop the import, nor hide which row and column it came from)."""
    try:
        return read()
    except (ArithmeticError, ValueError, TypeError, OverflowError, LookupError) as error:
        logger.warning("Import row %s, column %s: %r", given.number, column, error)
        given.errors.append(RowIssue(column, f"This value could not be read ({type(error).__name__})."))
        return None


def jira_datetime(given: RowInput, text: str, column: str, options: ImportOptions) -> datetime | None:
    moment = parsed_datetime(text)
    if moment is None:
        given.errors.append(RowIssue(column, f"Not a date and time: {text!r}. {DATETIME_HELP}"))
        return None
    return aware(moment, options)


def jira_date(given: RowInput, text: str, column: str, options: ImportOptions) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _JIRA_DATES:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    moment = parsed_datetime(text)  # a due date exported with its time ("12/Mar/24 12:00 AM")
    if moment is None:
        given.errors.append(RowIssue(column, f"Not a date: {text!r}. {DATE_HELP}"))
        return None
    return aware(moment, options).astimezone(zoneinfo.ZoneInfo(options.timezone)).date()


def parsed_datetime(text: str) -> datetime | None:
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


def aware(moment: datetime, options: ImportOptions) -> datetime:
    """`moment` in the import's time zone when it carries no offset of its own."""
    if django_timezone.is_aware(moment):
        return moment
    return django_timezone.make_aware(moment, zoneinfo.ZoneInfo(options.timezone))


def storable(text: str) -> bool:
    """Text a database column takes: no NUL character, nothing UTF-8 cannot encode."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
