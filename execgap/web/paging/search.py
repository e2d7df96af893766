"""A list's search box and its small filters, read from the request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest

from execgap.web.paging.pager import Params

SEARCH_MAX_LENGTH = 200


def search_term(request: HttpRequest, *, prefix: str = "") -> str:
    """The list's search (`<prefix>q`), trimmed, at most SEARCH_MAX_LENGTH characters."""
    return request.GET.get(f"{prefix}q", "").strip()[:SEARCH_MAX_LENGTH]


# Keyset pages -------------------------------------------------------------------------------------


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
