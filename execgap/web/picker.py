"""Pickers: choosing one row among thousands (a person, a goal, a team) with a search box, never a
select that lists them all.

A field whose choices grow with the organization gets the `Picker` widget. It renders only what is
chosen, a search box and, without JavaScript, a Find button: the form comes back (nothing saved,
everything typed kept) with the best matches as the select's options. With JavaScript,
`static/js/picker.js` turns the box into an ARIA combobox that fetches the matches from the row
owner's search endpoint (htmx) as the member types.

Each endpoint and the Find button run the same search (`Source.search`), over the same queryset the
field validates with, so that every match offered can be chosen and nothing else can: the field
still checks the submitted id against its queryset (organization- and role-limited), whatever the
browser sent.

Ranking (`ranked`, `rank_of`): the whole query as the exact text first, then as its prefix, then
as a substring, then rows holding every word of it in any order; ties by text, case-insensitively.
An endpoint answers at most `LIMIT` matches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.forms.models import ModelChoiceIterator
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

M = TypeVar("M", bound=Model)

LIMIT = 20
QUERY_MAX_LENGTH = 200
FIND = "_find"  # the name of every Find button; its value names the picker it belongs to
QUERY_SUFFIX = "__q"  # the search box of field `goal` is `goal__q`
TOO_LONG = f"The search is too long: use at most {QUERY_MAX_LENGTH} characters."


@dataclass(frozen=True)
class Match:
    """A row a picker offers: `value` as the field takes it, `label` as the chosen option shows it,
    `hint` a word of context shown beside it in the list (its kind, its team)."""

    value: str
    label: str
    hint: str = ""


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
    `noun`: what is searched, plural ("people", "goals").
    """

    url: str
    search: Callable[[str, int], Matches]
    noun: str
    labels: Callable[[Sequence[str]], Mapping[str, str]] | None = None


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
    the query and the noun; a SearchError answers 400 with its message as the list's only entry."""
    try:
        matches, query, noun = search()
    except SearchError as error:
        return render(request, "partials/picker_options.html", {"error": str(error)}, status=400)
    return render(
        request,
        "partials/picker_options.html",
        {"matches": matches.rows, "more": matches.more, "query": query, "noun": noun, "limit": LIMIT},
    )


# The widget ---------------------------------------------------------------------------------------


class Picker(forms.Select):
    """A select that holds only the chosen option (and, after a Find, the matches), with a search box.

    Only the chosen values' labels are read (one query, none when nothing is chosen): the field's
    queryset is never listed. `fixed` choices are always offered (the empty choice "No team",
    "Nobody" in a filter).
    """

    template_name = "partials/picker.html"

    def __init__(
        self,
        *,
        source: Source,
        fixed: Sequence[tuple[str, str]] = (),
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs=attrs)
        self.source = source
        self.fixed = [(str(value), str(label)) for value, label in fixed]
        self.label = ""  # the field's label, set by `use_picker`
        self.query = ""
        self.finding = False
        self.found: Matches | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> Picker:
        copy: Picker = super().__deepcopy__(memo)
        copy.fixed = list(self.fixed)
        return copy

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        # The project's templates (templates/partials/), not the form renderer's (Django's own only).
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 (an escaped template)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # What the box holds and whether its Find was pressed travel beside the value: read them here,
        # where the form hands its data to the widget.
        self.query = " ".join(words_of(str(data.get(f"{name}{QUERY_SUFFIX}", ""))))[:QUERY_MAX_LENGTH]
        self.finding = data.get(FIND) == name
        return super().value_from_datadict(data, files, name)

    def id_for_label(self, id_: str, index: str = "0") -> str:
        return id_  # the label names the search box (the combobox, once enhanced)

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the server says what is missing, beside the field

    def labels(self, values: Sequence[str]) -> dict[str, str]:
        """The labels of the chosen `values`, read from the field's queryset: a value it does not
        hold (another organization's row, one deleted meanwhile, garbage) has none."""
        if not values:
            return {}
        if self.source.labels is not None:
            return dict(self.source.labels(values))
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            model_field = choices.field
            key = model_field.to_field_name or "pk"
            try:
                rows = list(choices.queryset.filter(**{f"{key}__in": list(values)}))
            except (ValueError, TypeError, ValidationError):
                return {}
            return {str(model_field.prepare_value(row)): model_field.label_from_instance(row) for row in rows}
        return {str(value): str(label) for value, label in choices if str(value) in values}

    def matches(self) -> Matches | None:
        """After a Find (or with text in the box): the best matches, else None."""
        if not (self.query or self.finding):
            return None
        return self.source.search(self.query, LIMIT)

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> list[Any]:
        chosen = [item for item in value if item not in ("", None)]
        fixed = dict(self.fixed)
        labels = self.labels([item for item in chosen if item not in fixed])
        options = [
            self.create_option(
                name, fixed_value, label, fixed_value in value or (not chosen and not fixed_value), index
            )
            for index, (fixed_value, label) in enumerate(self.fixed)
        ]
        for item in chosen:
            if item in labels:
                options.append(self.create_option(name, item, labels[item], True, len(options)))
        self.found = self.matches()
        for match in self.found.rows if self.found is not None else []:
            if match.value not in chosen and match.value not in fixed:
                options.append(self.create_option(name, match.value, match.label, False, len(options)))
        for option in options:
            if option["value"] in fixed:
                option["attrs"]["data-picker-fixed"] = ""
        return [(None, options, 0)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        attrs = widget["attrs"]
        box_id = attrs.get("id") or f"picker-{name}"
        shared = {key: attrs[key] for key in ("aria-invalid", "aria-describedby") if key in attrs}
        hint_id = f"{box_id}_pickerhint"
        described = " ".join(filter(None, [shared.get("aria-describedby", ""), hint_id]))
        found = self.found
        label = self.label or name
        widget["picker"] = {
            "url": self.source.url,
            "noun": self.source.noun,
            "query": self.query,
            "label": label,
            "box": {"attrs": {**shared, "id": box_id, "aria-describedby": described}},
            "select": {
                "attrs": {
                    **shared,
                    "id": f"{box_id}_choice",
                    "aria-label": f"{label}: the choice",
                    "aria-describedby": described,
                }
            },
            "hint_id": hint_id,
            "listbox_id": f"{box_id}_listbox",
            "found": found,
            "limit": LIMIT,
        }
        return context


def use_picker(
    form: forms.BaseForm,
    name: str,
    source: Source,
    *,
    fixed: Sequence[tuple[str, str]] | None = None,
) -> None:
    """Make field `name` of `form` a picker over `source` (a hidden field stays hidden).

    `fixed` defaults to the field's empty choice (its `empty_label`), when it has one.
    """
    field = form.fields[name]
    if field.widget.is_hidden:
        return
    if fixed is None:
        empty_label = getattr(field, "empty_label", None)
        fixed = [("", str(empty_label))] if empty_label is not None else []
    widget = Picker(source=source, fixed=fixed, attrs=dict(field.widget.attrs))
    widget.is_required = field.required
    widget.label = str(field.label or name.replace("_", " ").capitalize())
    if isinstance(field, forms.ChoiceField):
        widget.choices = field.choices  # type: ignore[assignment]  # a ModelChoiceIterator, read lazily
    field.widget = widget


def pickers_of(form: forms.BaseForm) -> list[str]:
    return [name for name, field in form.fields.items() if isinstance(field.widget, Picker)]


class PickerFormMixin(forms.BaseForm):
    """A form with pickers: a Find (no JavaScript) shows the form again with the matches and saves
    nothing. `is_valid()` is False and the form has no errors, so that a view shows it as it is
    (status 200: nothing is wrong with it)."""

    @property
    def finding(self) -> bool:
        return self.is_bound and FIND in self.data and bool(pickers_of(self))

    def full_clean(self) -> None:
        if self.finding:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.finding and super().is_valid()


@dataclass
class KeyedChoices:
    """Choices keyed `<kind>:<id>` across several kinds of rows (a goal: an initiative or an objective),
    each kind with the queryset it is chosen from."""

    querysets: dict[str, QuerySet[Any]]
    labels_by_kind: dict[str, str] = field(default_factory=dict)

    def parse(self, value: str) -> tuple[str, int] | None:
        kind, _, raw = value.partition(":")
        if kind not in self.querysets or not raw.isdigit() or len(raw) > 18:
            return None
        return kind, int(raw)

    def row(self, value: str) -> Any:
        """The row `value` names, read from its kind's queryset, or None."""
        parsed = self.parse(value)
        if parsed is None:
            return None
        kind, pk = parsed
        return self.querysets[kind].filter(pk=pk).first()

    def labels(self, values: Sequence[str]) -> dict[str, str]:
        """`<Kind>: <title>` of each value its kind's queryset holds. One query per kind chosen."""
        wanted: dict[str, list[int]] = {}
        for value in values:
            parsed = self.parse(value)
            if parsed is not None:
                wanted.setdefault(parsed[0], []).append(parsed[1])
        found: dict[str, str] = {}
        for kind, ids in wanted.items():
            prefix = self.labels_by_kind.get(kind, kind.replace("_", " ").capitalize())
            for row in self.querysets[kind].filter(pk__in=ids):
                found[f"{kind}:{row.pk}"] = f"{prefix}: {row}"
        return found


class KeyedChoiceField(forms.CharField):
    """A row among several kinds, sent as `<kind>:<id>` (a goal: `initiative:12`); cleaned to the row,
    read from its kind's queryset. Anything else is "not one of the available choices"."""

    default_error_messages = {
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices.",
    }

    def __init__(self, *, choices: KeyedChoices, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keyed = choices

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        row = self.keyed.row(text)
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row
