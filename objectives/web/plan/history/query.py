"""Which history records a page of the plan history shows: the filters, and the keyset page.

The five history tables (objectives, key results, initiatives, allocations, the scoring settings)
are read as one list: a UNION of their (time, kind, record id), each part cut at the page's cursor
and, where the database allows it, at a page and one of its own rows (down its (organization, date)
index), then ordered and limited to a page and one: a keyset page, never a COUNT or an OFFSET over
a history that only grows. A filter that no record of a kind can match leaves that table out.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.db.models import IntegerField, Q, QuerySet, Value
from django.utils import timezone

from execgap.web.paging import BAD_CURSOR, BadCursorError, Key, Order, Params, decode_cursor
from feedback.selectors import PLAN_HISTORY_MODELS, history_of_organization

KIND_NOUNS: Mapping[str, str] = {
    "objective": "objective",
    "key_result": "key result",
    "initiative": "initiative",
    "allocation": "allocation",
    "settings": "scoring settings",
}
ACTIONS: Mapping[str, str] = {"created": "+", "changed": "~", "deleted": "-"}
_KIND_RANK = {kind: rank for rank, kind in enumerate(PLAN_HISTORY_MODELS)}
RANK_KIND = {rank: kind for kind, rank in _KIND_RANK.items()}


@dataclass(frozen=True)
class HistoryFilters:
    """Which revisions to show; each empty value means "any". Dates are whole days, inclusive, in
    the site's time zone."""

    kind: str | None = None
    object_id: int | None = None  # only with `kind`
    action: str | None = None  # a key of ACTIONS
    user_id: int | None = None  # who made the change
    # A goal: the changes to it and to what hangs on it (its key results, initiatives, child
    # objectives and staffing; an initiative's staffing).
    objective_id: int | None = None
    initiative_id: int | None = None
    team_id: int | None = None  # the items of a team (an allocation: its initiative's or person's)
    owner_id: int | None = None  # whose item: a goal's owner, an allocation's person
    change_set: uuid.UUID | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    search: str = ""  # the title (the person or initiative of an allocation) or the reason contains it

    @property
    def about_plan_rows(self) -> bool:
        """Whether a filter only plan rows can match (the settings belong to no goal, team or person)."""
        return any(
            value is not None
            for value in (self.objective_id, self.initiative_id, self.team_id, self.owner_id)
        )


# Newest first; a revision is one record of one kind's table (the rank tells the tables apart).
HISTORY_ORDER = Order(
    Key("history_date", descending=True),
    Key("kind_rank", descending=True),
    Key("history_id", descending=True),
)
_CURSOR_FIELDS = (models.DateTimeField(), models.IntegerField(), models.IntegerField())

PageKey = tuple[datetime.datetime, int, int]  # (history_date, kind rank, history_id)
PageRow = tuple[datetime.datetime, int, int, uuid.UUID | None]  # and the record's change set


@dataclass(frozen=True)
class RecordsPage:
    keys: list[tuple[str, int]]  # (kind, history_id) of the page's records, newest first
    order_values: list[PageKey]
    has_previous: bool
    has_next: bool
    error: str
    # The change sets of the records just after and just before the page (None: none there, or
    # records older than change sets): the page's first and last change sets may go on there.
    following: uuid.UUID | None
    preceding: uuid.UUID | None


def history_records_page(
    *, organization_id: int, filters: HistoryFilters, params: Params, per_page: int
) -> RecordsPage:
    """The keyset page of the records matching `filters` that the request's cursor names (the newest
    without one). One query, and one more for the record of the cursor (the change set it holds).
    A cursor that cannot be read gives the newest page, with the error."""
    raw = params.request.GET.get(params.cursor_name, "")
    error, backwards, values = "", False, None
    if raw:
        try:
            backwards, values = decode_cursor(raw, HISTORY_ORDER, _CURSOR_FIELDS)
        except BadCursorError:
            error = BAD_CURSOR
    kinds = [kind for kind in PLAN_HISTORY_MODELS if _matches_kind(kind, filters)]
    parts = [part for kind in kinds if (part := _part(kind, organization_id, filters)) is not None]
    if not parts:
        return RecordsPage([], [], False, False, error, None, None)
    if values is not None:
        after = HISTORY_ORDER.after(values, backwards=backwards)
        parts = [part.filter(after) for part in parts]
    direction = "" if backwards else "-"
    ordering = [f"{direction}{key.name}" for key in HISTORY_ORDER.keys]
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # Each table's own first rows (down its index), then the first of those: the database never
        # sorts a whole history (SQLite cannot order the parts of a UNION).
        parts = [part.order_by(*ordering)[: per_page + 1] for part in parts]
    combined = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    rows: list[PageRow] = list(combined.order_by(*ordering)[: per_page + 1])
    more = len(rows) > per_page
    beyond = rows[per_page][3] if more else None
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    at_cursor = _change_set_of(RANK_KIND[values[1]], int(values[2])) if values is not None else None
    return RecordsPage(
        keys=[(RANK_KIND[rank], history_id) for _, rank, history_id, _ in rows],
        order_values=[(at, rank, history_id) for at, rank, history_id, _ in rows],
        has_previous=more if backwards else values is not None,
        has_next=True if backwards else more,
        error=error,
        # Read backwards, the row beyond the page is newer than it, and the cursor's row older.
        following=at_cursor if backwards else beyond,
        preceding=beyond if backwards else at_cursor,
    )


def _change_set_of(kind: str, history_id: int) -> uuid.UUID | None:
    found: uuid.UUID | None = (
        history_model(kind)
        .objects.filter(history_id=history_id)
        .values_list("history_change_set", flat=True)
        .first()
    )
    return found


def _matches_kind(kind: str, filters: HistoryFilters) -> bool:
    if filters.kind is not None and kind != filters.kind:
        return False
    return not (kind == "settings" and filters.about_plan_rows)


def history_model(kind: str) -> Any:
    return PLAN_HISTORY_MODELS[kind].history.model  # type: ignore[attr-defined]


def _part(kind: str, organization_id: int, filters: HistoryFilters) -> QuerySet[Any] | None:
    """One table's (time, kind rank, record id) of the records matching `filters`; None when no
    record of the kind can match them."""
    records = history_model(kind).objects.filter(history_of_organization(kind, organization_id))
    for condition in (
        _goal(kind, filters),
        _team(kind, filters.team_id),
        _owner(kind, filters.owner_id),
    ):
        if condition is False:
            return None
        if isinstance(condition, Q):
            records = records.filter(condition)
    if filters.object_id is not None:
        records = records.filter(id=filters.object_id)
    if filters.action is not None:
        records = records.filter(history_type=ACTIONS[filters.action])
    if filters.user_id is not None:
        records = records.filter(history_user_id=filters.user_id)
    if filters.change_set is not None:
        records = records.filter(history_change_set=filters.change_set)
    if filters.since is not None:
        records = records.filter(history_date__gte=start_of(filters.since))
    if filters.until is not None:
        records = records.filter(history_date__lt=start_of(filters.until + datetime.timedelta(days=1)))
    if filters.search:
        records = records.filter(_search(kind, filters.search))
    # No ordering of its own (the history models order by date): a part of a UNION cannot have one.
    return (
        records.order_by()
        .annotate(kind_rank=Value(_KIND_RANK[kind], output_field=IntegerField()))
        .values_list("history_date", "kind_rank", "history_id", "history_change_set")
    )


# Each condition below reads the record's own values (the goal, team or owner the row had then);
# through a link, the linked row as it is now (a key result's objective's team). None: no
# condition; False: no record of the kind matches.


def _goal(kind: str, filters: HistoryFilters) -> Q | bool | None:
    if filters.objective_id is not None:
        objective = filters.objective_id
        return {
            "objective": Q(id=objective) | Q(parent_id=objective),
            "key_result": Q(objective_id=objective),
            "initiative": Q(objective_id=objective),
            "allocation": Q(initiative__objective_id=objective),
        }.get(kind, False)
    if filters.initiative_id is not None:
        initiative = filters.initiative_id
        return {"initiative": Q(id=initiative), "allocation": Q(initiative_id=initiative)}.get(kind, False)
    return None


def _team(kind: str, team_id: int | None) -> Q | bool | None:
    if team_id is None:
        return None
    return {
        "objective": Q(team_id=team_id),
        "key_result": Q(objective__team_id=team_id),
        "initiative": Q(team_id=team_id),
        "allocation": Q(initiative__team_id=team_id) | Q(person__team_id=team_id),
    }.get(kind, False)


def _owner(kind: str, person_id: int | None) -> Q | bool | None:
    if person_id is None:
        return None
    return {
        "objective": Q(owner_id=person_id),
        "key_result": Q(objective__owner_id=person_id),
        "initiative": Q(owner_id=person_id),
        "allocation": Q(person_id=person_id),
    }.get(kind, False)


def _search(kind: str, text: str) -> Q:
    """The revisions whose reason or title contains `text` (an allocation's person or initiative;
    the settings: their name)."""
    found = Q(history_change_reason__icontains=text)
    if kind == "allocation":
        return found | Q(person__name__icontains=text) | Q(initiative__title__icontains=text)
    if kind == "settings":
        return found | Q(name__icontains=text)
    return found | Q(title__icontains=text)


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
