"""What every picker's search shares: the matches, their ranking, and reading an endpoint's parameters.

An endpoint (in the app that owns the rows) reads `?q=` with `search_query`, its own parameters with
`optional_id` and `choice_of`, ranks the rows with `ranked` (in the database) or `rank_of` (rows
already read), and answers `matches_response`: the options of the picker's list, or the reason a
parameter could not be read (status 400).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

M = TypeVar("M", bound=Model)

LIMIT = 20
QUERY_MAX_LENGTH = 200
FIND = "_find"  # the name of every Find button; its value names the picker it belongs to
QUERY_SUFFIX = "__q"  # the search box of field `goal` is `goal__q`
OPTIONS_TEMPLATE = "partials/picker_options.html"
TOO_LONG = f"The search is too long: use at most {QUERY_MAX_LENGTH} characters."


@dataclass(frozen=True)
class Match:
    """A row a picker offers: `value` as the field takes it, `label` as the chosen option shows it,
    `hint` a word of context shown beside it in the list (its kind, its team), `alert` a warning
    shown flagged beside it ("over capacity")."""

    value: str
    label: str
    hint: str = ""
    alert: str = ""

    @property
    def described(self) -> str:
        """The label with its context, as a select's option offers it after a Find (no script)."""
        context = ", ".join(part for part in (self.alert, self.hint) if part)
        return f"{self.label} ({context})" if context else self.label


@dataclass(frozen=True)
class Matches:
    """The best matches of a search, and whether there are more than those."""

    rows: list[Match]
    more: bool = False


@dataclass(frozen=True)
class Source:
    """Where a picker finds its rows.

    `url`: the search endpoint, with the fixed parameters the field needs (`?kind=initiative`);
    the box's text is added as `q`. `search(query, limit)`: the same search in this process (Find).
    `labels(values)`: the labels of chosen values (default: read from the field's queryset).
    `noun`: what is searched, plural ("people", "goals"). `described`: see below.
    """

    url: str
    search: Callable[[str, int], Matches]
    noun: str
    labels: Callable[[Sequence[str]], Mapping[str, str]] | None = None
    # After a Find (no script), the select's options say each match's hint and alert too (a person's
    # load), where the choice depends on them.
    described: bool = False


class SearchError(ValueError):
    """A search parameter that cannot be read: answered with its message and status 400."""


# Ranking ------------------------------------------------------------------------------------------


def words_of(query: str) -> list[str]:
    return query.split()


def ranked(
    queryset: QuerySet[M], text: str, query: str, *, also: Sequence[str] = (), first: Any = None
) -> QuerySet[M]:
    """The rows of `queryset` whose `text` field (or one of the `also` fields) holds every word of
    `query`, best first: `text` equal to the query, starting with it, holding it, then the rest; ties
    by `text` case-insensitively, then id. An empty query keeps every row, by `text`. `first`: an
    expression that orders before the rank (the rows of the member's team first, say).

    `icontains` over one organization's rows: a scan of its rows that an index on the organization
    bounds (tens of thousands at most: people, goals, teams; never tasks).
    """
    query = " ".join(words_of(query))
    rank: Any = Value(0, output_field=IntegerField())
    if query:
        for word in words_of(query):
            matches = Q(**{f"{text}__icontains": word})
            for other in also:
                matches |= Q(**{f"{other}__icontains": word})
            queryset = queryset.filter(matches)
        rank = Case(
            When(**{f"{text}__iexact": query}, then=Value(0)),
            When(**{f"{text}__istartswith": query}, then=Value(1)),
            When(**{f"{text}__icontains": query}, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    order: list[Any] = [rank, Lower(text), "pk"]
    if first is not None:
        order.insert(0, first)
    return queryset.order_by(*order)


def rank_of(text: str, query: str) -> int | None:
    """`ranked`'s order for a row already in memory: 0 to 3, or None when it does not match."""
    words = [word.casefold() for word in words_of(query)]
    folded = text.casefold()
    if not all(word in folded for word in words):
        return None
    whole = " ".join(words)
    if folded == whole or not whole:
        return 0
    if folded.startswith(whole):
        return 1
    return 2 if whole in folded else 3


def best(candidates: Iterable[tuple[int, str, Match]], limit: int) -> Matches:
    """The `limit` best of candidates already ranked `(rank, sort text, match)`: several kinds of rows
    (objectives and initiatives), each read best first, merged into one list."""
    ordered = sorted(candidates, key=lambda found: (found[0], found[1].casefold(), found[2].value))
    return Matches(rows=[match for _, _, match in ordered[:limit]], more=len(ordered) > limit)


# The endpoints ------------------------------------------------------------------------------------


def search_query(request: HttpRequest) -> str:
    """The text typed in the box (`?q=`), or SearchError when it is too long."""
    query = " ".join(words_of(request.GET.get("q", "")))
    if len(query) > QUERY_MAX_LENGTH:
        raise SearchError(TOO_LONG)
    return query


def optional_id(request: HttpRequest, name: str) -> int | None:
    """`?<name>=<id>`: None when absent, SearchError when it is not an id."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise SearchError(f"“{name}” must be the id of a row (a whole number).")
    return int(raw)


def choice_of(request: HttpRequest, name: str, choices: Iterable[str], default: str) -> str:
    """`?<name>=` among `choices` (absent: `default`), else SearchError naming the allowed values."""
    value = request.GET.get(name, "") or default
    allowed = list(choices)
    if value not in allowed:
        raise SearchError(f"“{name}” must be one of: {', '.join(allowed)}.")
    return value


def matches_response(request: HttpRequest, search: Callable[[], tuple[Matches, str, str]]) -> HttpResponse:
    """The options of a picker's list (an HTML fragment for htmx): `search()` returns the matches,
    the query and the noun; a SearchError answers 400 with its message as the list's only entry.

    Rendered without the pages' context processors (navigation, scores status): a keystroke costs
    the member's sign-in and the search, nothing else.
    """
    try:
        matches, query, noun = search()
    except SearchError as error:
        return HttpResponse(render_to_string(OPTIONS_TEMPLATE, {"error": str(error)}), status=400)
    context = {"matches": matches.rows, "more": matches.more, "query": query, "noun": noun, "limit": LIMIT}
    return HttpResponse(render_to_string(OPTIONS_TEMPLATE, context))
