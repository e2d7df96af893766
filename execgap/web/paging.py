"""Lists a page at a time, searchable on the server: one helper, one pager and one search box for
every list of every page.

A list that can be long (tasks, people, feedback, plan revisions) is read in keyset pages: the rows
after (or before) the row a cursor names, in a total order, `LIMIT size + 1`; never an OFFSET that
the database walks row by row, and never a COUNT of the whole filtered set, so that a page costs the
same at ten rows and at a million. The cursor is opaque: the order's values of the row it starts
from, signed, so that a damaged or forged one is refused with a clear message (and the first page)
instead of being read. A list that is short by nature (the teams, a person's check-ins due) may
use numbered pages instead, through the same pager.

Each list names its parameters with a prefix, so that a page with several lists (an objective's
tasks and its check-ins) pages and searches each one on its own: `<prefix>cursor`, `<prefix>page`,
`<prefix>q`. Every other parameter of the request (the filters, the other lists' pages) is kept in
the links. The templates are `partials/pager.html` (after a list) and `partials/search.html` (a
search form with its optional small filters) or `partials/search_field.html` (the search input alone,
inside a list's own filter form).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import OrderBy
from django.http import HttpRequest

T = TypeVar("T")

PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 200
BAD_CURSOR = "This page link is damaged or out of date, so the list starts again from its first page."
_SALT = "execgap.web.paging"


class BadCursorError(ValueError):
    """A cursor that was not made by this list (damaged, forged, or of another list's order)."""


@dataclass(frozen=True)
class Key:
    """One column of a list's order: a field (`name`, `user__username`) or an annotation of the
    queryset. A nullable key sorts its NULLs after every value, in the order as given (and before
    every value when the list is read backwards)."""

    name: str
    descending: bool = False
    nullable: bool = False


class Order:
    """A total order of a list: its last key must be unique (the primary key, usually)."""

    def __init__(self, *keys: Key) -> None:
        if not keys:
            raise ValueError("An order needs at least one key.")
        self.keys = keys

    @property
    def salt(self) -> str:
        return f"{_SALT}:" + ",".join(f"{'-' if key.descending else ''}{key.name}" for key in self.keys)

    def order_by(self, *, backwards: bool = False) -> list[OrderBy]:
        """The ORDER BY of the list (read backwards: every direction and NULL placement flipped)."""
        return [_order_expression(key, backwards=backwards) for key in self.keys]

    def after(self, values: Sequence[Any], *, backwards: bool = False) -> Q:
        """The rows that come after the row whose keys are `values` (before it, `backwards`).

        Written as `k1 > v1 OR (k1 = v1 AND k2 > v2) OR ...`, with NULLs placed as the order places
        them, and led by `k1 >= v1` when the first key is never NULL: the database starts its index
        scan at the cursor instead of filtering every row before it.
        """
        branches: list[Q] = []
        equal = Q()
        for key, value in zip(self.keys, values, strict=True):
            descending = key.descending != backwards
            nulls_last = key.nullable and not backwards
            beyond: Q | None
            if value is None:
                beyond = None if nulls_last else Q(**{f"{key.name}__isnull": False})
                same = Q(**{f"{key.name}__isnull": True})
            else:
                beyond = Q(**{f"{key.name}__{'lt' if descending else 'gt'}": value})
                if nulls_last:
                    beyond |= Q(**{f"{key.name}__isnull": True})
                same = Q(**{key.name: value})
            if beyond is not None:
                branches.append(equal & beyond)
            equal &= same
        if not branches:
            return Q(pk__in=[])
        condition = functools.reduce(lambda left, right: left | right, branches)
        first, first_value = self.keys[0], values[0]
        if not first.nullable and first_value is not None:
            bound = "lte" if first.descending != backwards else "gte"
            condition = Q(**{f"{first.name}__{bound}": first_value}) & condition
        return condition


def _order_expression(key: Key, *, backwards: bool) -> OrderBy:
    descending = key.descending != backwards
    if not key.nullable:
        return F(key.name).desc() if descending else F(key.name).asc()
    nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
    return F(key.name).desc(**nulls) if descending else F(key.name).asc(**nulls)


@dataclass(frozen=True)
class PagerLink:
    """A link of a pager; without `url`, the same place shown disabled (there is no page there)."""

    url: str
    text: str
    rel: str  # "prev", "next" or "" (the first page)
    # Stable, and kept by a disabled link too: htmx gives the focus back to the element with the id
    # that had it before the swap, so that a keyboard user's place survives reaching either end.
    id: str

    @property
    def enabled(self) -> bool:
        return bool(self.url)


def _links(
    ident: str, texts: tuple[str, str], *, first: str | None, previous: str | None, following: str | None
) -> tuple[PagerLink, ...]:
    """The pager's links, those with no page shown disabled in their place; none for a single page.
    `first` is None for a pager without a first-page link (numbered pages say where they are)."""
    if previous is None and following is None and not first:
        return ()
    links = [] if first is None else [PagerLink(first, "First page", "", f"{ident}-first")]
    links.append(PagerLink(previous or "", texts[0], "prev", f"{ident}-prev"))
    links.append(PagerLink(following or "", texts[1], "next", f"{ident}-next"))
    return tuple(links)


@dataclass(frozen=True)
class Pager:
    """What `partials/pager.html` draws below a list: its links, where it is, and any error.

    `target` is the id of the element holding the list: when set, the links swap it in place (htmx,
    scrolled into view) and still work as plain links without script. `swap` is the element swapped
    when it is larger than the list: a page of several lists swaps them all (`main`), so that every
    list's links keep the others' places.
    """

    label: str  # the navigation's accessible name: "Pages of tasks"
    links: tuple[PagerLink, ...] = ()
    position: str = ""  # "Page 2 of 7" (numbered pages only)
    error: str = ""
    target: str = ""
    swap: str = ""

    @property
    def swapped(self) -> str:
        return self.swap or self.target


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """One page of a list: its rows and its pager."""

    rows: list[T]
    pager: Pager
    first: bool = True  # the first page of the list (no cursor, or page 1)

    @property
    def error(self) -> str:
        return self.pager.error


@dataclass(frozen=True)
class Params:
    """The request's parameters of one list: `prefix` keeps them apart from the other lists'."""

    request: HttpRequest
    prefix: str = ""
    # Parameters left out of the pager's links (a one-off selection, say).
    drop: tuple[str, ...] = ()
    # The page the links lead to, when the list is drawn by another URL (the answer to a POST).
    path: str = ""

    @property
    def cursor_name(self) -> str:
        return f"{self.prefix}cursor"

    @property
    def page_name(self) -> str:
        return f"{self.prefix}page"

    @property
    def search_name(self) -> str:
        return f"{self.prefix}q"

    def url(self, **changes: str | None) -> str:
        """This page's URL with `changes` applied (None removes a parameter) and `drop` left out."""
        query = self.request.GET.copy()
        for name in (*self.drop, *changes):
            query.pop(name, None)
        for name, value in changes.items():
            if value is not None:
                query[name] = value
        encoded = query.urlencode()
        path = self.path or self.request.path
        return f"{path}?{encoded}" if encoded else path


def search_term(request: HttpRequest, *, prefix: str = "") -> str:
    """The list's search (`<prefix>q`), trimmed, at most SEARCH_MAX_LENGTH characters."""
    return request.GET.get(f"{prefix}q", "").strip()[:SEARCH_MAX_LENGTH]


# Keyset pages -------------------------------------------------------------------------------------


def keyset_page(
    rows: QuerySet[Any],
    order: Order,
    *,
    params: Params,
    label: str,
    size: int = PAGE_SIZE,
    target: str = "",
    swap: str = "",
    texts: tuple[str, str] = ("Previous page", "Next page"),
) -> ListPage[Any]:
    """The page of `rows` that the request's cursor names (the first page without one), in `order`.

    Two queries: the page's keys and one more (to know whether a next page exists), then its rows
    with their links (`_fetch`); never a COUNT nor an OFFSET. A cursor that
    cannot be read gives the first page with `BAD_CURSOR` as the page's error: the view answers
    400 with it. `texts` name the links back and forth ("Newer changes", "Older changes").
    """
    fields = [_field_of(rows, key.name) for key in order.keys]
    raw = params.request.GET.get(params.cursor_name, "")
    error = ""
    try:
        backwards, values = decode_cursor(raw, order, fields) if raw else (False, None)
    except BadCursorError:
        backwards, values, error = False, None, BAD_CURSOR
    found = rows if values is None else rows.filter(order.after(values, backwards=backwards))
    fetched = _fetch(rows, found, order, size + 1, backwards=backwards)
    more = len(fetched) > size
    shown = fetched[:size]
    if backwards:
        shown.reverse()
    if backwards and not more and len(shown) < size:
        # Back to the start, but rows were deleted meanwhile: the first page, whole.
        shown, values = _fetch(rows, rows, order, size + 1, backwards=False), None
        more, backwards = len(shown) > size, False
        shown = shown[:size]
        has_previous, has_next = False, more
    elif backwards:
        has_previous, has_next = more, True
    else:
        has_previous, has_next = values is not None, more
    key_of = functools.partial(_key_values, order)
    previous = encode_cursor(order, key_of(shown[0]), backwards=True) if has_previous and shown else None
    following = encode_cursor(order, key_of(shown[-1]), backwards=False) if has_next and shown else None
    pager = _pager(
        params, label, target, error, texts, previous=previous, following=following, first=not has_previous
    )
    return ListPage(rows=shown, pager=replace(pager, swap=swap), first=not has_previous)


def _fetch(
    rows: QuerySet[Any], found: QuerySet[Any], order: Order, limit: int, *, backwards: bool
) -> list[Any]:
    """The first `limit` rows of `found` in `order`, with everything `rows` loads along (its links).

    Two queries: the keys of the page on the list's own table (no join the order does not need: the
    database sorts narrow rows, then stops at `limit`), then those rows with their links by key.
    """
    keys = list(
        found.select_related(None)
        .order_by(*order.order_by(backwards=backwards))
        .values_list("pk", flat=True)[:limit]
    )
    if not keys:
        return []
    by_key = {row.pk: row for row in rows.filter(pk__in=keys).order_by()}
    return [by_key[key] for key in keys if key in by_key]


def keyset_pager(
    *,
    params: Params,
    order: Order,
    label: str,
    page_keys: Sequence[Sequence[Any]],
    has_previous: bool,
    has_next: bool,
    error: str = "",
    target: str = "",
    texts: tuple[str, str] = ("Previous page", "Next page"),
) -> Pager:
    """The pager of a keyset page read by hand (a UNION, say): `page_keys` are the shown rows' order
    values, in order."""
    previous = encode_cursor(order, page_keys[0], backwards=True) if has_previous and page_keys else None
    following = encode_cursor(order, page_keys[-1], backwards=False) if has_next and page_keys else None
    return _pager(
        params, label, target, error, texts, previous=previous, following=following, first=not has_previous
    )


def _pager(
    params: Params,
    label: str,
    target: str,
    error: str,
    texts: tuple[str, str],
    *,
    previous: str | None,
    following: str | None,
    first: bool,
) -> Pager:
    ident = target or f"{params.prefix or 'list'}-pages"
    links = _links(
        ident,
        texts,
        first="" if first else params.url(**{params.cursor_name: None}),
        previous=None if previous is None else params.url(**{params.cursor_name: previous}),
        following=None if following is None else params.url(**{params.cursor_name: following}),
    )
    return Pager(label=label, links=links, error=error, target=target)


def encode_cursor(order: Order, values: Sequence[Any], *, backwards: bool) -> str:
    """The opaque, signed cursor of a row's order values (read backwards: the rows before it)."""
    payload = ["p" if backwards else "n", *(_plain(value) for value in values)]
    return signing.Signer(salt=order.salt).sign_object(payload)


def decode_cursor(raw: str, order: Order, fields: Sequence[models.Field[Any, Any]]) -> tuple[bool, list[Any]]:
    """(backwards, the row's order values) of a cursor made by `encode_cursor` for this order;
    else `BadCursorError`."""
    try:
        payload = signing.Signer(salt=order.salt).unsign_object(raw)
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
        raise BadCursorError(BAD_CURSOR) from error
    if not isinstance(payload, list) or len(payload) != len(order.keys) + 1 or payload[0] not in ("n", "p"):
        raise BadCursorError(BAD_CURSOR)
    values: list[Any] = []
    for key, model_field, value in zip(order.keys, fields, payload[1:], strict=True):
        if value is None and not key.nullable:
            raise BadCursorError(BAD_CURSOR)
        try:
            values.append(None if value is None else model_field.to_python(value))
        except (ValidationError, TypeError, ValueError) as error:
            raise BadCursorError(BAD_CURSOR) from error
    return payload[0] == "p", values


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (the field's `to_python` reads it back)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _key_values(order: Order, row: Any) -> list[Any]:
    values = []
    for key in order.keys:
        value = row
        for part in key.name.split(LOOKUP_SEP):
            value = None if value is None else getattr(value, part)
        values.append(value)
    return values


def _field_of(rows: QuerySet[Any], name: str) -> models.Field[Any, Any]:
    """The model field (or the annotation's output field) a key reads, to parse a cursor's value."""
    annotation = rows.query.annotations.get(name)
    if annotation is not None:
        output: models.Field[Any, Any] = annotation.output_field
        return output
    model: Any = rows.model
    *path, last = name.split(LOOKUP_SEP)
    for part in path:
        model = model._meta.get_field(part).related_model
    try:
        found: models.Field[Any, Any] = model._meta.get_field(last)
    except FieldDoesNotExist:
        raise ValueError(f"{name} is neither a field nor an annotation of {rows.model.__name__}.") from None
    return found


# Numbered pages -----------------------------------------------------------------------------------


def numbered_page(
    rows: Sequence[T] | QuerySet[Any],
    *,
    params: Params,
    label: str,
    size: int = PAGE_SIZE,
    target: str = "",
    swap: str = "",
) -> ListPage[T]:
    """The `<prefix>page`-th page of a short list (numbered: "Page 2 of 7").

    For lists that are short by nature only: a queryset is counted. A page number that is not one
    (or past the last page) gives the first (the last) page with an error: the view answers 400.
    """
    paginator = Paginator(rows, size)
    raw = params.request.GET.get(params.page_name, "")
    error = ""
    number = 1
    if raw:
        if not raw.isdigit() or int(raw) < 1:
            error = f"“{raw[:20]}” is not a page number, so the list starts again from its first page."
        elif int(raw) > paginator.num_pages:
            number = paginator.num_pages
            error = f"There is no page {raw}: page {number} is the last."
        else:
            number = int(raw)
    page = paginator.page(number)
    ident = target or f"{params.prefix or 'list'}-pages"
    previous = page.previous_page_number() if page.has_previous() else None
    links = _links(
        ident,
        ("Previous page", "Next page"),
        first=None,
        previous=None
        if previous is None
        else params.url(**{params.page_name: str(previous) if previous > 1 else None}),
        following=params.url(**{params.page_name: str(page.next_page_number())}) if page.has_next() else None,
    )
    position = f"Page {page.number} of {paginator.num_pages}" if paginator.num_pages > 1 else ""
    pager = Pager(label=label, links=tuple(links), position=position, error=error, target=target, swap=swap)
    return ListPage(rows=list(page.object_list), pager=pager, first=page.number == 1)


# The search box -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A small filter drawn beside the search (a status, say): a select of a few fixed options."""

    name: str
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label); the first is "any"
    value: str


@dataclass(frozen=True)
class SearchBox:
    """What `partials/search.html` draws above a list: a GET form whose search input and choices
    replace the list's own parameters, carrying every other one (the other lists' pages, the
    filters) as hidden inputs."""

    name: str
    value: str
    label: str
    action: str
    hidden: tuple[tuple[str, str], ...]
    clear_url: str
    target: str = ""
    choices: tuple[Choice, ...] = ()
    form_label: str = ""
    id: str = ""
    swap: str = ""  # as the pager's (`Pager.swap`)

    @property
    def swapped(self) -> str:
        return self.swap or self.target

    @property
    def active(self) -> bool:
        return bool(self.value) or any(choice.value for choice in self.choices)


def search_box(
    *,
    params: Params,
    label: str,
    form_label: str = "",
    target: str = "",
    swap: str = "",
    choices: Sequence[Choice] = (),
) -> SearchBox:
    """The search form of one list (its value read with `search_term`); a new search starts again
    from the first page."""
    own = {params.search_name, params.cursor_name, params.page_name, *params.drop}
    own |= {choice.name for choice in choices}
    hidden = tuple(
        (name, value) for name, values in params.request.GET.lists() if name not in own for value in values
    )
    reset: dict[str, str | None] = dict.fromkeys(own)
    return SearchBox(
        name=params.search_name,
        value=search_term(params.request, prefix=params.prefix),
        label=label,
        action=params.path or params.request.path,
        hidden=hidden,
        clear_url=params.url(**reset),
        target=target,
        swap=swap,
        choices=tuple(choices),
        form_label=form_label or label,
        id=f"{params.prefix or 'list-'}search",
    )


def choice_value(request: HttpRequest, name: str, options: Sequence[tuple[str, str]]) -> str | None:
    """The chosen option of a choice filter: "" for none, None for a value that is not an option."""
    raw = request.GET.get(name, "")
    return raw if raw == "" or raw in {value for value, _ in options} else None


def rows_of(page: ListPage[T], wrap: Callable[[T], Any]) -> ListPage[Any]:
    """The same page with each row wrapped (a task with what the member may do with it, say)."""
    return ListPage(rows=[wrap(row) for row in page.rows], pager=page.pager, first=page.first)
