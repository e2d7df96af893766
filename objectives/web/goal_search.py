"""Goal pickers: the search behind every field that chooses an objective, an initiative or a key result.

`GET /o/<slug>/goals/search/?q=...&kind=...&scope=...` answers the best 20 matches as the options of a
picker's list (execgap.web.picker). The same functions give the forms the queryset their field
validates with (`objective_choices`, `initiative_choices`, `key_result_choices`), so that the list
offers exactly what the field accepts:

- `kind`: `objective`, `initiative` or `key_result` (values are ids), or `goal` (objectives and
  initiatives, values `objective:<id>` and `initiative:<id>`, as the bulk link sends them).
- `scope`: `all` (every goal of the organization), `open` (objectives not achieved or cancelled,
  initiatives not done or cancelled: what work is linked to), `staffing` (the initiatives the member
  may allocate people to: a lead's teams' only).
- `not_under=<objective id>`: leaves out that objective and every one below it (a new parent for it).

A search reads each kind's rows of the organization with `icontains` (hundreds of objectives, tens of
thousands of initiatives at most, never tasks): one query per kind, and the role's teams when the
scope is `staffing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.urls import reverse

from execgap.roles import Action, Resource, Scope, scope_of, team_ids_of
from execgap.web.pages import OrgContext, OrgRequest, org_page
from execgap.web.picker import (
    KeyedChoiceField,
    KeyedChoices,
    Match,
    Matches,
    SearchError,
    Source,
    best,
    choice_of,
    matches_response,
    optional_id,
    rank_of,
    ranked,
    search_query,
    use_picker,
)
from objectives.models import Initiative, InitiativeStatus, KeyResult, Objective, ObjectiveStatus

KINDS = ("goal", "objective", "initiative", "key_result")
SCOPES = ("all", "open", "staffing")
KIND_LABELS = {"objective": "Objective", "initiative": "Initiative", "key_result": "Key result"}


# What each field chooses from --------------------------------------------------------------------


def objective_choices(
    org: OrgContext, *, scope: str = "all", not_under: int | None = None
) -> QuerySet[Objective]:
    """The objectives a field offers: `open` leaves out achieved and cancelled ones; `not_under`
    leaves out that objective and those below it (one more query, over the objectives' links)."""
    objectives = Objective.objects.for_org(org.organization)
    if scope == "open":
        objectives = objectives.exclude(status__in=(ObjectiveStatus.ACHIEVED, ObjectiveStatus.CANCELLED))
    if not_under is not None:
        edges = dict(Objective.objects.for_org(org.organization).values_list("id", "parent_id"))
        objectives = objectives.exclude(pk__in=subtree(not_under, edges))
    return objectives


def initiative_choices(
    org: OrgContext, *, scope: str = "all", action: Action = Action.CREATE
) -> QuerySet[Initiative]:
    """The initiatives a field offers: `open` leaves out done and cancelled ones; `staffing` keeps
    those the member may `action` an allocation to (a lead: their teams' initiatives, an initiative
    without a team counting as its objective's, as the rule table reads it; no grant: none)."""
    initiatives = Initiative.objects.for_org(org.organization)
    if scope == "open":
        initiatives = initiatives.exclude(status__in=(InitiativeStatus.DONE, InitiativeStatus.CANCELLED))
    elif scope == "staffing":
        grant = scope_of(org.membership, Resource.ALLOCATION, action)
        if grant is None:
            return initiatives.none()
        if Scope.ANY not in grant:
            teams = team_ids_of(org.membership)
            initiatives = initiatives.filter(
                Q(team__in=teams) | Q(team__isnull=True, objective__team__in=teams)
            )
    return initiatives


def key_result_choices(org: OrgContext) -> QuerySet[KeyResult]:
    return KeyResult.objects.for_org(org.organization)


def subtree(root: int, edges: Mapping[int, int | None]) -> set[int]:
    """`root` and every node below it, given each node's parent."""
    children: dict[int, list[int]] = {}
    for node, parent in edges.items():
        if parent is not None:
            children.setdefault(parent, []).append(node)
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


# The search --------------------------------------------------------------------------------------


def goal_matches(
    org: OrgContext,
    *,
    query: str,
    kind: str = "goal",
    scope: str = "all",
    not_under: int | None = None,
    limit: int = 20,
) -> Matches:
    """The best `limit` goals of `kind` for `query`, ranked as `execgap.web.picker.ranked` says."""
    keyed = kind == "goal"
    found: list[tuple[int, str, Match]] = []

    def value(kind_name: str, pk: int) -> str:
        return f"{kind_name}:{pk}" if keyed else str(pk)

    def label(kind_name: str, title: str) -> str:
        return f"{KIND_LABELS[kind_name]}: {title}" if keyed else title

    def order(title: str) -> int:
        # The database ranked each kind; the same rank, read again, merges the kinds.
        found_rank = rank_of(title, query)
        return 3 if found_rank is None else found_rank

    if kind in ("goal", "objective"):
        objectives = ranked(objective_choices(org, scope=scope, not_under=not_under), "title", query)
        for pk, title, team in objectives.values_list("pk", "title", "team__name")[: limit + 1]:
            hint = f"team {team}" if team else "no team"
            found.append(
                (order(title), title, Match(value("objective", pk), label("objective", title), hint))
            )
    if kind in ("goal", "initiative"):
        initiatives = ranked(initiative_choices(org, scope=scope), "title", query)
        for pk, title, objective in initiatives.values_list("pk", "title", "objective__title")[: limit + 1]:
            hint = f"for {objective}" if objective else "serves no objective yet"
            found.append(
                (order(title), title, Match(value("initiative", pk), label("initiative", title), hint))
            )
    if kind == "key_result":
        key_results = ranked(key_result_choices(org), "title", query)
        for pk, title, objective in key_results.values_list("pk", "title", "objective__title")[: limit + 1]:
            found.append((order(title), title, Match(str(pk), title, f"of {objective}")))
    return best(found, limit)


@org_page(fragment=True)
def goal_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the goals a field offers (see the module's docstring)."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        kind = choice_of(request, "kind", KINDS, "goal")
        scope = choice_of(request, "scope", SCOPES, "all")
        if scope == "staffing" and kind != "initiative":
            raise SearchError("“scope=staffing” chooses initiatives: use it with “kind=initiative”.")
        not_under = optional_id(request, "not_under")
        matches = goal_matches(request.org, query=query, kind=kind, scope=scope, not_under=not_under)
        return matches, query, "key results" if kind == "key_result" else f"{kind}s"

    return matches_response(request, search)


# The pickers of the forms ------------------------------------------------------------------------


def goal_source(
    org: OrgContext, *, kind: str, scope: str = "all", not_under: int | None = None, **labels: Any
) -> Source:
    """The endpoint and the in-process search of a goal picker (`labels`: see `Source`)."""
    params: dict[str, Any] = {"kind": kind}
    if scope != "all":
        params["scope"] = scope
    if not_under is not None:
        params["not_under"] = not_under
    url = reverse("goal_search", kwargs={"org_slug": org.organization.slug})
    return Source(
        url=f"{url}?{urlencode(params)}",
        search=lambda query, limit: goal_matches(
            org, query=query, kind=kind, scope=scope, not_under=not_under, limit=limit
        ),
        noun="key results" if kind == "key_result" else f"{kind}s",
        **labels,
    )


def goal_picker(
    form: forms.BaseForm,
    name: str,
    org: OrgContext,
    *,
    kind: str,
    scope: str = "all",
    not_under: int | None = None,
) -> None:
    """Field `name` (a ModelChoiceField of `kind`) becomes a picker over the same goals it accepts."""
    use_picker(form, name, goal_source(org, kind=kind, scope=scope, not_under=not_under))


def goal_field(org: OrgContext, *, scope: str, **kwargs: Any) -> KeyedChoiceField:
    """A field choosing an objective or an initiative of `scope` (`objective:<id>`, `initiative:<id>`),
    cleaned to the row."""
    keyed = KeyedChoices(
        querysets={
            "objective": objective_choices(org, scope=scope),
            "initiative": initiative_choices(org, scope=scope),
        },
        labels_by_kind=dict(KIND_LABELS),
    )
    return KeyedChoiceField(choices=keyed, **kwargs)


def goal_field_picker(form: forms.BaseForm, name: str, org: OrgContext, *, scope: str) -> None:
    """The picker of a `goal_field`: its chosen label is read from the field's own querysets."""
    field = form.fields[name]
    assert isinstance(field, KeyedChoiceField)
    keyed = field.keyed
    source = goal_source(org, kind="goal", scope=scope, labels=keyed.labels)
    use_picker(form, name, source, fixed=[("", "Choose a goal…")])
