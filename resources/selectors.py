"""Reads of teams: the team tree of an organization."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from execgap.models import Organization
from resources.models import Team


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
