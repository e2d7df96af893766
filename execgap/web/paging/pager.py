"""What a list shows below itself (its pager), a page of rows with it, and numbered pages for short lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

T = TypeVar("T")

PAGE_SIZE = 25


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


def rows_of(page: ListPage[T], wrap: Callable[[T], Any]) -> ListPage[Any]:
    """The same page with each row wrapped (a task with what the member may do with it, say)."""
    return ListPage(rows=[wrap(row) for row in page.rows], pager=page.pager, first=page.first)
