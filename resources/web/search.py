"""People and team pickers: the search behind every field that chooses a person or a team.

`GET /o/<slug>/people/search/?q=...&team=<id>` answers the best 20 active people for `q` (by name or
email) as the options of a picker's list (execgap.web.picker), each with their team and their load
today against their capacity (over capacity flagged); with `team`, that team's people come first,
then everyone else: an assignee or a staffer is most often someone of the team.

`GET /o/<slug>/members/search/?q=...` answers the best 20 members (by their person's name, else their
name or username): the users who can change the plan, for the plan history's "Changed by".

`GET /o/<slug>/teams/search/?q=...&scope=all|mine&not_under=<id>` answers the best 20 teams: `mine`
keeps the teams a team-scoped role works in (the teams the member leads or belongs to, and those
below them), `not_under` leaves out that team and every team below it (a new parent for it).

Each reads the organization's rows with `icontains` (tens of thousands of people, hundreds of teams):
one query (people: two more, for the teams and the loads of the 20 found), and one more for the
member's teams under `mine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from execgap.models import Membership
from execgap.roles import team_ids_of
from execgap.web.forms import OrgForm
from execgap.web.pages import OrgContext, OrgRequest, org_page
from execgap.web.picker import (
    Match,
    Matches,
    Source,
    choice_of,
    matches_response,
    optional_id,
    ranked,
    search_query,
    use_picker,
)
from resources.models import Person, Team
from resources.selectors import current_loads, team_subtree_ids

TEAM_SCOPES = ("all", "mine")


# People ------------------------------------------------------------------------------------------


def person_choices(org: OrgContext) -> QuerySet[Person]:
    """The people a picker offers: the organization's active people (a form may also accept the one
    a row already names, who left since: that one shows as the current choice)."""
    return Person.objects.for_org(org.organization).filter(active=True)


def people_matches(org: OrgContext, *, query: str, team_id: int | None = None, limit: int = 20) -> Matches:
    """The best `limit` active people for `query` (name or email); `team_id`'s people first. Each
    says their team and their load today against their capacity (hours per week), flagged when over
    it: whom to staff is a question of who has the time."""
    in_team = None
    if team_id is not None:
        in_team = Case(When(team_id=team_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    people = ranked(person_choices(org), "name", query, also=("email",), first=in_team)
    rows = list(people.values_list("pk", "name", "email", "team_id", "weekly_capacity_hours")[: limit + 1])
    shown = rows[:limit]
    # The teams' names and loads of the rows found only: joined before the limit, a search that
    # matches thousands of people would look up the team and allocations of each.
    teams = dict(
        Team.objects.for_org(org.organization)
        .filter(pk__in={team for *_, team, _ in shown if team is not None})
        .values_list("pk", "name")
    )
    loads = current_loads(
        organization=org.organization, person_ids=[pk for pk, *_ in shown], on=timezone.localdate()
    )
    matches = []
    for pk, name, email, team, capacity in shown:
        load = loads.get(pk, Decimal(0))
        over = load > capacity
        words = f"{_hours(load)} of {_hours(capacity)} h/week"
        hint = " · ".join(
            part for part in (f"team {teams[team]}" if team in teams else "no team", words, email) if part
        )
        matches.append(Match(str(pk), name, hint, alert="over capacity" if over else ""))
    return Matches(rows=matches, more=len(rows) > limit)


def _hours(value: Decimal) -> str:
    """Hours as people write them: 32, 32.5, 7.25."""
    return f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")


@org_page(fragment=True)
def people_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the organization's active people (`?team=<id>`: its people first)."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        team_id = optional_id(request, "team")
        return people_matches(request.org, query=query, team_id=team_id), query, "people"

    return matches_response(request, search)


def person_source(org: OrgContext, *, team_id: int | None = None) -> Source:
    url = reverse("people_search", kwargs={"org_slug": org.organization.slug})
    return Source(
        url=f"{url}?{urlencode({'team': team_id})}" if team_id is not None else url,
        search=lambda query, limit: people_matches(org, query=query, team_id=team_id, limit=limit),
        noun="people",
        described=True,
    )


def person_picker(
    form: forms.BaseForm, name: str, org: OrgContext, *, team_id: int | None = None, **options: Any
) -> None:
    """Field `name` (a ModelChoiceField of people) becomes a picker; `team_id`'s people come first."""
    use_picker(form, name, person_source(org, team_id=team_id), **options)


# Members -----------------------------------------------------------------------------------------


def member_name(org: OrgContext) -> Coalesce:
    """The name shown for a member: their person's name, else their full name, else their username."""
    people = Person.objects.for_org(org.organization)
    person_name = people.filter(user_id=OuterRef("user_id")).values("name")[:1]
    full_name = Concat("user__first_name", Value(" "), "user__last_name")
    return Coalesce(Subquery(person_name), NullIf(Trim(full_name), Value("")), "user__username")


def member_matches(org: OrgContext, *, query: str, limit: int = 20) -> Matches:
    """The best `limit` members for `query` (the shown name, username or email); values are user ids."""
    members = Membership.objects.filter(organization_id=org.organization.pk).annotate(shown=member_name(org))
    best = ranked(members, "shown", query, also=("user__username", "user__email"))
    rows = list(best.values_list("user_id", "shown", "user__username")[: limit + 1])
    return Matches(
        rows=[Match(str(user_id), shown, username) for user_id, shown, username in rows[:limit]],
        more=len(rows) > limit,
    )


def member_labels(org: OrgContext, values: Sequence[str]) -> dict[str, str]:
    """The shown names of the members whose user ids are `values`."""
    ids = [int(value) for value in values if value.isdigit()]
    members = Membership.objects.filter(organization_id=org.organization.pk, user_id__in=ids)
    return {
        str(user_id): shown
        for user_id, shown in members.annotate(shown=member_name(org)).values_list("user_id", "shown")
    }


@org_page(fragment=True)
def member_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the organization's members."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        return member_matches(request.org, query=query), query, "members"

    return matches_response(request, search)


def member_picker(form: forms.BaseForm, name: str, org: OrgContext, **options: Any) -> None:
    """Field `name` (a choice of a member's user id) becomes a picker over the organization's members."""
    source = Source(
        url=reverse("member_search", kwargs={"org_slug": org.organization.slug}),
        search=lambda query, limit: member_matches(org, query=query, limit=limit),
        noun="members",
        labels=lambda values: member_labels(org, values),
    )
    use_picker(form, name, source, **options)


# Teams -------------------------------------------------------------------------------------------


def team_choices(org: OrgContext, *, scope: str = "all", not_under: int | None = None) -> QuerySet[Team]:
    """The teams a field offers: `mine` keeps the member's teams (and those below them); `not_under`
    leaves out that team and those below it."""
    teams = Team.objects.for_org(org.organization)
    if scope == "mine":
        teams = teams.filter(pk__in=team_ids_of(org.membership))
    if not_under is not None:
        teams = teams.exclude(pk__in=team_subtree_ids(organization=org.organization, team_id=not_under))
    return teams


def team_matches(
    org: OrgContext, *, query: str, scope: str = "all", not_under: int | None = None, limit: int = 20
) -> Matches:
    teams = ranked(team_choices(org, scope=scope, not_under=not_under), "name", query)
    rows = list(teams.values_list("pk", "name", "parent__name")[: limit + 1])
    return Matches(
        rows=[
            Match(str(pk), name, f"part of {parent}" if parent else "top level")
            for pk, name, parent in rows[:limit]
        ],
        more=len(rows) > limit,
    )


@org_page(fragment=True)
def team_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the teams a field offers (see the module's docstring)."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        scope = choice_of(request, "scope", TEAM_SCOPES, "all")
        not_under = optional_id(request, "not_under")
        return team_matches(request.org, query=query, scope=scope, not_under=not_under), query, "teams"

    return matches_response(request, search)


def team_picker(
    form: forms.BaseForm, name: str, org: OrgContext, *, scope: str = "all", not_under: int | None = None
) -> None:
    """Field `name` (a ModelChoiceField of teams) becomes a picker over the teams of `scope`."""
    params: dict[str, Any] = {}
    if scope != "all":
        params["scope"] = scope
    if not_under is not None:
        params["not_under"] = not_under
    url = reverse("team_search", kwargs={"org_slug": org.organization.slug})
    source = Source(
        url=f"{url}?{urlencode(params)}" if params else url,
        search=lambda query, limit: team_matches(
            org, query=query, scope=scope, not_under=not_under, limit=limit
        ),
        noun="teams",
    )
    use_picker(form, name, source)


class TeamFilterForm(OrgForm):
    """A list's filters with a team among them (`?team=<id>`), chosen with a team picker: a large
    organization has hundreds of teams. A subclass adds its other filters (`field_order` places the
    team among them) and says what no team means (`team_empty_label`)."""

    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name", "id"), required=False)

    team_empty_label = "Any team"
    holds_on_find = False  # a filter: the team picker's Find leaves the other filters applied

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.empty_label = self.team_empty_label
        team_picker(self, "team", self.org)
