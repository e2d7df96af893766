"""Reads of teams and people: the team tree of an organization, people's current loads."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from execgap.models import Organization
from objectives.models import InitiativeStatus
from resources.models import Allocation, Team


@dataclass(frozen=True)
class TeamNode:
    team: Team
    depth: int  # 0 for a team without a parent


def team_tree(*, organization: Organization | int) -> list[TeamNode]:
    """Every team of the organization in tree order (each parent before its children, siblings by
    name), with its depth. One query."""
    teams = list(Team.objects.for_org(organization).order_by("name", "id"))
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)

    def walk(siblings: Sequence[Team], depth: int) -> Iterator[TeamNode]:
        for team in siblings:
            yield TeamNode(team=team, depth=depth)
            yield from walk(children.get(team.pk, []), depth + 1)

    return list(walk(children.get(None, []), 0))


def team_subtree_ids(*, organization: Organization | int, team_id: int) -> frozenset[int]:
    """The team and every team below it (empty when the organization has no such team). One query."""
    edges = list(Team.objects.for_org(organization).values_list("id", "parent_id"))
    if team_id not in {node for node, _ in edges}:
        return frozenset()
    children: dict[int, list[int]] = {}
    for node, parent in edges:
        if parent is not None:
            children.setdefault(parent, []).append(node)
    found, stack = {team_id}, [team_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return frozenset(found)


def current_loads(
    *, organization: Organization | int, person_ids: Collection[int], on: datetime.date
) -> dict[int, Decimal]:
    """The hours per week each of `person_ids` is allocated on day `on`: the sum of their allocations
    to active initiatives that span that day (no start: from always; no end: open-ended), as the
    resources score counts a load. People with none are absent. One query, GROUP BY person."""
    if not person_ids:
        return {}
    current = (
        Allocation.objects.for_org(organization)
        .filter(person_id__in=list(person_ids), initiative__status=InitiativeStatus.ACTIVE)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=on))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    )
    rows = current.values("person_id").annotate(load=Sum("hours_per_week")).order_by()
    return {row["person_id"]: row["load"] for row in rows}
