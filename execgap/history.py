"""The plan's revision history: which models keep it, and how (django-simple-history).

Every history table (the plan's four and the organization's scoring settings, all in the feedback
app) has, beside the library's `history_id`, `history_date`, `history_user`, `history_type` and
`history_change_reason`, one column of ours:

`history_change_set` (UUID): the records written together, by one person in one request, one
service call (a scenario's apply, say) or one transaction opened with `change_set()`, share it;
a record written outside any of these is a change set of its own. Records older than the column
hold NULL: each is a change set of its own. Read the records of one change set across the tables
by this column (indexed); a range of dates by `history_date` (indexed with the organization).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from simple_history.models import HistoricalRecords

# The longest reason a client may give for a change (the column itself takes any length).
REASON_MAX_LENGTH = 500

_open_change_set: ContextVar[uuid.UUID | None] = ContextVar("plan_change_set", default=None)


@contextmanager
def change_set() -> Iterator[uuid.UUID]:
    """Group every history record written inside into one change set (yielded). Inside another
    change set, the outer one holds: a scenario's apply is one change set, not one per edit."""
    current = _open_change_set.get()
    if current is not None:
        yield current
        return
    opened = uuid.uuid4()
    token = _open_change_set.set(opened)
    try:
        yield opened
    finally:
        _open_change_set.reset(token)


class ChangeSetMiddleware:
    """One change set per request: the changes one person makes in one request read as one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with change_set():
            return self.get_response(request)


class ChangeSetRecord(models.Model):
    """The base of every history model: the change set of the record (see the module's docstring)."""

    history_change_set = models.UUIDField(
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The records written together (one request, service call or transaction) share it.",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.history_change_set is None:
            self.history_change_set = _open_change_set.get() or uuid.uuid4()
        super().save(*args, **kwargs)


def plan_history() -> HistoricalRecords:
    """Who changed a plan row, when, to what and why; the tables live in the feedback app.

    Reasons are free text of any length (the library's default column holds 100 characters).
    """
    return HistoricalRecords(
        app="feedback",
        excluded_fields=["created_at", "updated_at"],
        history_change_reason_field=models.TextField(null=True),
        bases=[ChangeSetRecord],
    )


def settings_history() -> HistoricalRecords:
    """Who changed the organization's name or scoring parameters, when and to what (a scoring
    parameter moves every score: the trends say so). The stale marks are bookkeeping, not kept."""
    return HistoricalRecords(
        app="feedback",
        excluded_fields=["created_at", "updated_at", "scores_stale_since", "scores_changed_at"],
        history_change_reason_field=models.TextField(null=True),
        bases=[ChangeSetRecord],
    )
