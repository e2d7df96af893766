"""The plan history as CSV (`execgap.web.export`): every revision the page's filters and search
select, newest first, one row per revision with its change set and its changes in words. Read a
keyset page at a time through the page's own read (`history_records_page`, a UNION over the kinds'
history tables), never the whole history at once."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from typing import Any, cast

from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.export import csv as export_csv
from execgap.web.pages import OrgRequest
from execgap.web.paging import Params, encode_cursor, search_term
from objectives.web.plan.forms import HistoryFilterForm
from objectives.web.plan.history import HistoryEntry, HistoryFilters
from objectives.web.plan.history.query import HISTORY_ORDER, history_records_page
from objectives.web.plan.history.words import history_entries, revisions_by_key


def _at_cursor(request: OrgRequest, cursor: str | None) -> Params:
    """The request's parameters with its cursor at `cursor` (none: the newest page): the page's read
    takes its place from there."""
    placed = copy.copy(request)
    query = request.GET.copy()
    query.pop("cursor", None)
    if cursor is not None:
        query["cursor"] = cursor
    placed.GET = cast(Any, query)  # a request's query is read-only; this copy is its own
    return Params(placed)


def _entries(request: OrgRequest, filters: HistoryFilters) -> Iterator[list[HistoryEntry]]:
    organization = request.org.organization
    params = _at_cursor(request, None)
    while True:
        page = history_records_page(
            organization_id=organization.pk, filters=filters, params=params, per_page=export_csv.CHUNK_SIZE
        )
        revisions = revisions_by_key(page.keys)
        yield history_entries(organization, [revisions[key] for key in page.keys if key in revisions])
        if not page.has_next or not page.order_values:
            return
        params = _at_cursor(request, encode_cursor(HISTORY_ORDER, page.order_values[-1], backwards=False))


def _history(request: OrgRequest) -> TableRows:
    form = HistoryFilterForm(request.GET or None, org=request.org)
    if form.is_bound and not form.is_valid():
        errors = "; ".join(
            f"{name}: {' '.join(str(message) for message in messages)}"
            for name, messages in form.errors.items()
        )
        return TableRows([], error=f"Some filters were not understood ({errors}).", subject="plan")
    filters = dataclasses.replace(form.filters(), search=search_term(request))
    return TableRows((entry for chunk in _entries(request, filters) for entry in chunk), subject="plan")


def _changes(entry: HistoryEntry) -> str:
    return "; ".join(
        f"{change.field}: {change.before if change.before is not None else '(none)'} → "
        f"{change.after if change.after is not None else '(none)'}"
        for change in entry.changes
    )


HISTORY = CsvTable(
    "history",
    (
        Column("When", lambda entry: entry.revision.at),
        Column("Kind", lambda entry: entry.noun),
        Column("Item", lambda entry: entry.revision.label),
        Column("Change", lambda entry: entry.action),
        Column("By", lambda entry: entry.user_name),
        Column("Reason", lambda entry: entry.revision.reason),
        Column("Changes", _changes),
        Column("Change set", lambda entry: entry.revision.change_set),
    ),
    _history,
)
