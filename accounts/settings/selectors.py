"""Reads of the settings pages: each in a fixed number of queries, whatever the organization's size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from execgap.models import Membership, Organization
from execgap.web.paging import Key, Order
from resources.models import Person, Team

# The lists' orders (total: the id breaks ties) for their keyset pages.
PEOPLE_ORDER = Order(Key("name"), Key("id"))
MEMBERS_ORDER = Order(Key("user__username"), Key("id"))


@dataclass(frozen=True)
class SettingsCounts:
    teams: int
    people_active: int
    people_inactive: int
    members: int


def settings_counts(*, organization: Organization) -> SettingsCounts:
    """What the overview counts. Three queries (the people's counted from an index alone)."""
    people = Person.objects.for_org(organization).aggregate(
        active_count=Count("active", filter=Q(active=True)),
        inactive_count=Count("active", filter=Q(active=False)),
    )
    return SettingsCounts(
        teams=Team.objects.for_org(organization).count(),
        people_active=people["active_count"],
        people_inactive=people["inactive_count"],
        members=Membership.objects.filter(organization=organization).count(),
    )


@dataclass(frozen=True)
class TeamRow:
    team: Team  # `lead` loaded by `team_rows_detailed` (not by `team_rows`)
    depth: int  # 0 for a top-level team (and for every team found by a search)
    parent: Team | None
    people_count: int = 0


def team_rows(*, organization: Organization, search: str = "") -> list[TeamRow]:
    """Every team in tree order (each parent before its children, siblings by name), or those whose
    name contains `search` (by name, each with the team it is part of). One query of the teams'
    names and links only: an organization has hundreds of teams, not millions; what grows with it
    (people, leads) is read for the page's teams by `team_rows_detailed`."""
    teams = list(
        Team.objects.for_org(organization)
        .only("id", "name", "parent_id", "organization_id")
        .order_by("name", "id")
    )
    by_id = {team.pk: team for team in teams}
    if search:
        needle = search.casefold()
        return [
            TeamRow(team=team, depth=0, parent=by_id.get(team.parent_id or 0))
            for team in teams
            if needle in team.name.casefold()
        ]
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)

    def walk(siblings: Sequence[Team], depth: int) -> Iterator[TeamRow]:
        for team in siblings:
            yield TeamRow(team=team, depth=depth, parent=by_id.get(team.parent_id or 0))
            yield from walk(children.get(team.pk, []), depth + 1)

    return list(walk(children.get(None, []), 0))


def team_rows_detailed(*, organization: Organization, rows: Sequence[TeamRow]) -> list[TeamRow]:
    """The given rows (a page of them) with each team's lead and how many people it has. One query:
    each team's people are counted along the people's team index, not by joining every person."""
    people = Person.objects.for_org(organization).filter(team=OuterRef("pk")).order_by()
    detailed = {
        team.pk: team
        for team in Team.objects.for_org(organization)
        .filter(pk__in=[row.team.pk for row in rows])
        .select_related("lead")
        .annotate(
            people_count=Coalesce(Subquery(people.values("team").annotate(n=Count("*")).values("n")), 0)
        )
    }
    return [
        TeamRow(
            team=detailed[row.team.pk],
            depth=row.depth,
            parent=row.parent,
            people_count=detailed[row.team.pk].people_count,
        )
        for row in rows
        if row.team.pk in detailed
    ]


def people_of(
    *, organization: Organization, team_id: int | None = None, search: str = ""
) -> QuerySet[Person]:
    """The organization's people with their team and sign-in, optionally of one team or whose name
    or email contains `search` (the caller orders and pages them: see `PEOPLE_ORDER`)."""
    people = Person.objects.for_org(organization).select_related("team", "user")
    if team_id is not None:
        people = people.filter(team_id=team_id)
    if search:
        people = people.filter(Q(name__icontains=search) | Q(email__icontains=search))
    return people


@dataclass(frozen=True)
class MemberRow:
    membership: Membership  # with `user` loaded
    person: Person | None  # the member's person record in the organization


def member_rows(*, organization: Organization, memberships: Sequence[Membership]) -> list[MemberRow]:
    """The given memberships (a page of them) with each member's person record. One query."""
    user_ids = [membership.user_id for membership in memberships]
    people = {
        person.user_id: person for person in Person.objects.for_org(organization).filter(user_id__in=user_ids)
    }
    return [MemberRow(membership=m, person=people.get(m.user_id)) for m in memberships]


def memberships_of(*, organization: Organization, search: str = "") -> QuerySet[Membership]:
    """The organization's memberships with their users, optionally those whose username, name or
    email contains `search` (the caller orders and pages them: see `MEMBERS_ORDER`)."""
    memberships = Membership.objects.filter(organization=organization).select_related("user")
    if search:
        memberships = memberships.filter(
            Q(user__username__icontains=search)
            | Q(user__email__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
        )
    return memberships
