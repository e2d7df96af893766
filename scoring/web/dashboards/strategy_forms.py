"""The query strings of the strategy map: its filter (team, search, how far it opens, which goal it is
opened on, which page of a level it shows, which view: the map or the list) and the level htmx asks
for when a node is expanded."""

from __future__ import annotations

from django import forms

from execgap.web.forms import OrgForm
from resources.models import Team
from scoring.web.dashboards.selectors.strategy import EXPAND_ALL, EXPAND_NONE
from scoring.web.dashboards.selectors.strategy_nodes import OUTSIDE, TOP, VIEW_LIST, VIEW_MAP, LevelKey
from scoring.web.dashboards.selectors.strategy_search import NodeRef

MAX_START = 1_000_000  # no level of any plan is longer


def _team_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Team.objects.order_by("name", "id"),
        required=False,
        empty_label="All teams",
        help_text="With the teams below it, and the goals above theirs.",
    )


def _start_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=0, max_value=MAX_START, widget=forms.HiddenInput)


def _view_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[(VIEW_MAP, "Map"), (VIEW_LIST, "List")],
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "The map is shown as a map or as a list (view=map or view=list)."},
    )


def team_choices(form: forms.Form) -> list[tuple[int, str]]:
    """The teams a form's team filter offers (the organization's, by name): what
    `dashboards/_team_filter.html` draws."""
    field = form.fields["team"]
    assert isinstance(field, forms.ModelChoiceField)
    return list(field.queryset.values_list("pk", "name")) if field.queryset is not None else []


def _node_ref(value: str, message: str) -> NodeRef | None:
    if not value:
        return None
    ref = NodeRef.parse(value)
    if ref is None:
        raise forms.ValidationError(message)
    return ref


class StrategyFilterForm(OrgForm):
    """`?team=<id>&q=<title>`, what the reader fills in; `expand`, `open`, `start` and `outside`
    come from the map's own links."""

    team = _team_field()
    q = forms.CharField(
        label="Find a goal",
        required=False,
        max_length=200,
        help_text="Part of the title of an objective or initiative.",
        widget=forms.SearchInput,
    )
    expand = forms.ChoiceField(
        choices=[("", "As it opens"), (EXPAND_ALL, "Expand all"), (EXPAND_NONE, "Collapse all")],
        required=False,
        widget=forms.HiddenInput,
    )
    open = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    start = _start_field()
    outside = _start_field()
    view = _view_field()

    def clean_open(self) -> NodeRef | None:
        return _node_ref(
            self.cleaned_data.get("open") or "",
            "The map opens on a goal named like objective-12 or initiative-7.",
        )


class StrategyLevelForm(OrgForm):
    """`?of=<objective id>|initiative-<id>|top|outside&start=<n>&team=<id>&skip=<goal>&view=map|list`:
    one page of one level (below an initiative: the summary of its tasks)."""

    team = _team_field()
    of = forms.CharField(max_length=40)
    start = _start_field()
    skip = forms.CharField(required=False, max_length=40)
    view = _view_field()

    def clean_of(self) -> LevelKey | NodeRef:
        value: str = self.cleaned_data["of"].strip()
        if value == TOP:
            return TOP
        if value == OUTSIDE:
            return OUTSIDE
        ref = NodeRef.parse(value)
        if ref is None:
            raise forms.ValidationError(
                "A level is below an objective (its id), an initiative (initiative-<id>), or top, or outside."
            )
        return ref.pk if ref.kind == "objective" else ref

    def clean_skip(self) -> NodeRef | None:
        return _node_ref(self.cleaned_data.get("skip") or "", "Skip names a goal like objective-12.")
