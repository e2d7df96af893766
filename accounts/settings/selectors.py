"""Reads of the settings pages: each in a fixed number of queries, whatever the organization's size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from execgap.models import Membership, Organization
from resources.models import Person, Team


@dataclass(frozen=True)
class SettingsCounts:
    teams: int
    people_active: int
    people_inactive: int
    members: int


def settings_counts(*, organization: Organization) -> SettingsCounts:
    """What the overview counts. Three queries."""
    people = Person.objects.for_org(organization).aggregate(
        active_count=Count("id", filter=Q(active=True)), inactive_count=Count("id", filter=Q(active=False))
    )
    return SettingsCounts(
        teams=Team.objects.for_org(organization).count(),
        people_active=people["active_count"],
        people_inactive=people["inactive_count"],
        members=Membership.objects.filter(organization=organization).count(),
    )


@dataclass(frozen=True)
class TeamRow:
    team: Team  # with `lead` loaded and `people_count` annotated
    depth: int  # 0 for a top-level team
    parent: Team | None


def team_rows(*, organization: Organization) -> list[TeamRow]:
    """Every team in tree order (each parent before its children, siblings by name), with its lead
    and how many people it has. One query."""
    teams = list(
        Team.objects.for_org(organization)
        .select_related("lead")
        .annotate(people_count=Count("people"))
        .order_by("name", "id")
    )
    by_id = {team.pk: team for team in teams}
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)

    def walk(siblings: Sequence[Team], depth: int) -> Iterator[TeamRow]:
        for team in siblings:
            yield TeamRow(team=team, depth=depth, parent=by_id.get(team.parent_id or 0))
            yield from walk(children.get(team.pk, []), depth + 1)

    return list(walk(children.get(None, []), 0))


def people_of(
    *, organization: Organization, team_id: int | None = None, search: str = ""
) -> QuerySet[Person]:
    """The organization's people by name with their team and sign-in, optionally of one team or
    whose name or email contains `search`."""
    people = Person.objects.for_org(organization).select_related("team", "user").order_by("name", "id")
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


def memberships_of(*, organization: Organization) -> QuerySet[Membership]:
    """The organization's memberships with their users, by username."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username", "id")
    )
