"""Keyset pages: the rows after (or before) the row a signed cursor names, in a total order."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TypeVar

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import OrderBy

from execgap.web.paging.pager import PAGE_SIZE, ListPage, Pager, Params, _links

T = TypeVar("T")

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
    key_of = functools.partial(key_values, order)
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


def key_values(order: Order, row: Any) -> list[Any]:
    """The values of `row` (an instance of the list, its annotations read too) for each key of `order`."""
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
