"""Reads of the cascade: what pages and the API show, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from execgap.models import Organization
from objectives.models import Objective


@dataclass
class ObjectiveNode:
    """One objective in the cascade with the objectives directly below it; `depth` 0 is a root."""

    objective: Objective
    depth: int = 0
    children: list[ObjectiveNode] = field(default_factory=list)


def _sibling_order(node: ObjectiveNode) -> tuple[Decimal, str, int]:
    objective = node.objective
    return (-objective.priority_weight, objective.title.casefold(), objective.pk)


def objective_tree(*, organization: Organization | int) -> list[ObjectiveNode]:
    """The organization's objectives as a forest: roots first, each with its children below it.

    Siblings are ordered by priority weight (highest first), then title. One query, whatever the
    number of objectives: team and owner come along (`select_related`).
    """
    objectives = list(Objective.objects.for_org(organization).select_related("team", "owner").order_by("id"))
    nodes = {objective.pk: ObjectiveNode(objective=objective) for objective in objectives}
    roots: list[ObjectiveNode] = []
    for node in nodes.values():
        parent = nodes.get(node.objective.parent_id) if node.objective.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    _order_and_set_depth(roots, depth=0)
    return roots


def _order_and_set_depth(siblings: list[ObjectiveNode], *, depth: int) -> None:
    # Iterative, so that a deep cascade cannot exhaust the recursion limit.
    stack = [(siblings, depth)]
    while stack:
        level, level_depth = stack.pop()
        level.sort(key=_sibling_order)
        for node in level:
            node.depth = level_depth
            stack.append((node.children, level_depth + 1))
