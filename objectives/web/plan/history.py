"""The plan history page's read: one page of revisions of every kind, newest first, in words.

The four history tables (objectives, key results, initiatives, allocations) are read as one list:
a UNION of their (time, kind, record id), each part already cut at the page's cursor, ordered and
limited to a page and one (a keyset page: never a COUNT or an OFFSET over a history that only
grows), then only the page's records are loaded, two queries per kind (`feedback.selectors`
computes each record's diff against the record before it). Every id a diff shows (a parent, a
team, an owner) is turned into its name with one query per linked model for the whole page, so the
queries do not grow with the rows shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import IntegerField, Q, QuerySet, Value
from django.utils import formats, timezone

from execgap.models import Organization
from execgap.web.paging import (
    BAD_CURSOR,
    BadCursorError,
    Key,
    Order,
    Pager,
    Params,
    decode_cursor,
    keyset_pager,
)
from feedback.selectors import (
    PLAN_HISTORY_MODELS,
    FieldChange,
    PlanRevision,
    plan_revisions_by_record,
)
from objectives.models import Initiative, KeyResult, Objective
from resources.models import Allocation, Person, Team

KIND_NOUNS: Mapping[str, str] = {
    "objective": "objective",
    "key_result": "key result",
    "initiative": "initiative",
    "allocation": "allocation",
}
_KIND_RANK = {kind: rank for rank, kind in enumerate(PLAN_HISTORY_MODELS)}
_RANK_KIND = {rank: kind for kind, rank in _KIND_RANK.items()}
# Where the model's own name for a field reads poorly out of context.
_FIELD_LABELS: Mapping[str, str] = {"parent": "Parent objective", "estimate_hours": "Estimate (hours)"}
_NAME_FIELD: Mapping[type[models.Model], str] = {
    Objective: "title",
    Initiative: "title",
    KeyResult: "title",
    Team: "name",
    Person: "name",
}


@dataclass(frozen=True)
class HistoryFilters:
    """Which revisions to show; each empty value means "any". Dates are whole days, inclusive, in
    the site's time zone."""

    kind: str | None = None
    object_id: int | None = None  # only with `kind`
    user_id: int | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    search: str = ""  # the title (the person or initiative of an allocation) or the reason contains it


@dataclass(frozen=True)
class ShownChange:
    """One field's change as a reader sees it: values in words, None where there was none."""

    field: str  # the field's label
    before: str | None
    after: str | None


@dataclass(frozen=True)
class HistoryEntry:
    revision: PlanRevision
    noun: str  # "key result"
    user_name: str  # "" when the change was made by no user (a data migration, the shell)
    changes: tuple[ShownChange, ...]
    # The page where the object is seen now, as a URL name and its pk (None once deleted).
    page_name: str | None
    page_pk: int | None

    @property
    def action(self) -> str:
        return str(self.revision.action)


HISTORY_PAGE_SIZE = 25
# Newest first; a revision is one record of one kind's table (the rank tells the tables apart).
HISTORY_ORDER = Order(
    Key("history_date", descending=True),
    Key("kind_rank", descending=True),
    Key("history_id", descending=True),
)
_CURSOR_FIELDS = (models.DateTimeField(), models.IntegerField(), models.IntegerField())


def plan_history_page(
    *, organization: Organization, filters: HistoryFilters, params: Params, per_page: int | None = None
) -> tuple[Pager, list[HistoryEntry]]:
    """The keyset page of the revisions that match `filters` that the request's cursor names (the
    newest without one), its pager, and its entries in words. About a dozen queries, whatever the
    history holds. A cursor that cannot be read gives the newest page, with the pager's error."""
    per_page = per_page or HISTORY_PAGE_SIZE
    raw = params.request.GET.get(params.cursor_name, "")
    error, backwards, values = "", False, None
    if raw:
        try:
            backwards, values = decode_cursor(raw, HISTORY_ORDER, _CURSOR_FIELDS)
        except BadCursorError:
            error = BAD_CURSOR
    kinds = [filters.kind] if filters.kind else list(PLAN_HISTORY_MODELS)
    indexes = [_index(kind, organization.pk, filters) for kind in kinds]
    if values is not None:
        after = HISTORY_ORDER.after(values, backwards=backwards)
        indexes = [index.filter(after) for index in indexes]
    direction = "" if backwards else "-"
    ordering = [f"{direction}{key.name}" for key in HISTORY_ORDER.keys]
    if len(indexes) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # Each table's own first rows (down its history_date index), then the first of those: the
        # database never sorts a whole history (SQLite cannot order the parts of a UNION).
        indexes = [index.order_by(*ordering)[: per_page + 1] for index in indexes]
    combined = indexes[0] if len(indexes) == 1 else indexes[0].union(*indexes[1:], all=True)
    rows = list(combined.order_by(*ordering)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    pager = keyset_pager(
        params=params,
        order=HISTORY_ORDER,
        label="Pages of the plan history",
        page_keys=rows,
        has_previous=more if backwards else values is not None,
        has_next=True if backwards else more,
        error=error,
        texts=("Newer changes", "Older changes"),
    )
    keys = [(_RANK_KIND[rank], history_id) for _, rank, history_id in rows]
    revisions = _revisions_by_key(keys)
    return pager, _entries(organization, [revisions[key] for key in keys])


def _history_model(kind: str) -> Any:
    return PLAN_HISTORY_MODELS[kind].history.model  # type: ignore[attr-defined]


def _index(kind: str, organization_id: int, filters: HistoryFilters) -> QuerySet[Any]:
    records = _history_model(kind).objects.filter(organization_id=organization_id)
    if filters.object_id is not None:
        records = records.filter(id=filters.object_id)
    if filters.user_id is not None:
        records = records.filter(history_user_id=filters.user_id)
    if filters.since is not None:
        records = records.filter(history_date__gte=_start_of(filters.since))
    if filters.until is not None:
        records = records.filter(history_date__lt=_start_of(filters.until + datetime.timedelta(days=1)))
    if filters.search:
        records = records.filter(_search(kind, filters.search))
    # No ordering of its own (the history models order by date): a part of a UNION cannot have one.
    return (
        records.order_by()
        .annotate(kind_rank=Value(_KIND_RANK[kind], output_field=IntegerField()))
        .values_list("history_date", "kind_rank", "history_id")
    )


def _search(kind: str, text: str) -> Q:
    """The revisions whose reason or title contains `text` (an allocation's person or initiative)."""
    found = Q(history_change_reason__icontains=text)
    if kind == "allocation":
        return found | Q(person__name__icontains=text) | Q(initiative__title__icontains=text)
    return found | Q(title__icontains=text)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _revisions_by_key(keys: list[tuple[str, int]]) -> dict[tuple[str, int], PlanRevision]:
    """The revisions of the given (kind, record id)s: two queries per kind present."""
    found: dict[tuple[str, int], PlanRevision] = {}
    for kind in PLAN_HISTORY_MODELS:
        ids = [history_id for key_kind, history_id in keys if key_kind == kind]
        if ids:
            for revision in plan_revisions_by_record(kind=kind, history_ids=ids):
                found[(kind, revision.history_id)] = revision
    return found


def _entries(organization: Organization, revisions: list[PlanRevision]) -> list[HistoryEntry]:
    """The revisions in words: names for link ids and users, labels for choices, each object's page."""
    wanted: dict[type[models.Model], set[int]] = {}

    def want(model: type[models.Model], ids: Iterable[Any]) -> None:
        wanted.setdefault(model, set()).update(int(i) for i in ids if i is not None)

    for revision in revisions:
        model = PLAN_HISTORY_MODELS[revision.kind]
        want(model, [revision.object_id])
        for change in revision.changes:
            field = model._meta.get_field(change.field)
            if field.is_relation and field.related_model in _NAME_FIELD:
                want(field.related_model, [change.before, change.after])  # type: ignore[arg-type]
    users = {revision.user.pk for revision in revisions if revision.user is not None}
    names, pages = _names_and_pages(organization, wanted, users)
    return [
        HistoryEntry(
            revision=revision,
            noun=KIND_NOUNS[revision.kind],
            user_name=_user_name(revision, names),
            changes=_shown_changes(PLAN_HISTORY_MODELS[revision.kind], revision.changes, names),
            page_name=pages.get((revision.kind, revision.object_id), (None, None))[0],
            page_pk=pages.get((revision.kind, revision.object_id), (None, None))[1],
        )
        for revision in revisions
    ]


Names = dict[tuple[Any, int], str]


def _names_and_pages(
    organization: Organization, wanted: dict[type[models.Model], set[int]], user_ids: set[int]
) -> tuple[Names, dict[tuple[str, int], tuple[str, int]]]:
    """One query per model: the names of the wanted rows that still exist (keyed by (model, id)),
    the people's names of the users (keyed by ("user", id)), and the page of each existing plan row
    (keyed by (kind, id)): an objective's or initiative's own page, a key result's objective,
    an allocation's initiative."""
    names: Names = {}
    pages: dict[tuple[str, int], tuple[str, int]] = {}
    for model, ids in wanted.items():
        if not ids:
            continue
        rows = model.objects.for_org(organization).filter(pk__in=ids)  # type: ignore[attr-defined]
        if model is Allocation:
            for pk, initiative_id in rows.values_list("pk", "initiative_id"):
                pages[("allocation", pk)] = ("initiative_detail", initiative_id)
            continue
        extra = ("objective_id",) if model is KeyResult else ()
        for pk, name, *rest in rows.values_list("pk", _NAME_FIELD[model], *extra):
            names[(model, pk)] = name
            if model is Objective:
                pages[("objective", pk)] = ("objective_detail", pk)
            elif model is Initiative:
                pages[("initiative", pk)] = ("initiative_detail", pk)
            elif model is KeyResult:
                pages[("key_result", pk)] = ("objective_detail", rest[0])
    if user_ids:
        people = Person.objects.for_org(organization).filter(user_id__in=user_ids)
        for user_id, name in people.values_list("user_id", "name"):
            names[("user", user_id)] = name
    return names, pages


def _user_name(revision: PlanRevision, names: Names) -> str:
    user = revision.user
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return names.get(("user", user.pk)) or full_name or user.get_username()


def _shown_changes(
    model: type[models.Model], changes: Iterable[FieldChange], names: Names
) -> tuple[ShownChange, ...]:
    return tuple(
        ShownChange(
            field=_label_of(model, change.field),
            before=_shown(model, change.field, change.before, names),
            after=_shown(model, change.field, change.after, names),
        )
        for change in _in_form_order(model, changes)
    )


def _in_form_order(model: type[models.Model], changes: Iterable[FieldChange]) -> list[FieldChange]:
    """The changes in the order of the model's fields (the history tables put the links last)."""
    order = {field.name: position for position, field in enumerate(model._meta.fields)}
    return sorted(changes, key=lambda change: order.get(change.field, len(order)))


def _label_of(model: type[models.Model], name: str) -> str:
    if name in _FIELD_LABELS:
        return _FIELD_LABELS[name]
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def _shown(model: type[models.Model], name: str, value: Any, names: Names) -> str | None:
    """A field's value as a reader sees it; None for no value."""
    if value is None or value == "":
        return None
    field = model._meta.get_field(name)
    if field.is_relation:
        found = names.get((field.related_model, int(value)))
        noun = field.related_model._meta.verbose_name  # type: ignore[union-attr]
        return found if found is not None else f"{noun} #{value} (deleted)"
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # 3.5000 → 3.5, 100.0000 → 100
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j M Y")
    return str(value)
