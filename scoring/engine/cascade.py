"""The objective forest at D: which objectives are active and live, intended shares, subtree sums.

Every walk is O(nodes): one top-down order computed once, then single passes over it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from scoring.engine.inputs import ObjectiveNode

ACTIVE = "active"


class TreeNode(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def parent_id(self) -> int | None: ...


def top_down(nodes: Iterable[TreeNode]) -> list[int]:
    """Node ids with every parent before its children (roots in id order, then breadth first).

    A parent id that is not among the nodes makes its node a root; nodes on a cycle (which the
    services refuse) are left out.
    """
    by_id = {node.id: node for node in nodes}
    children: dict[int, list[int]] = {}
    roots: list[int] = []
    for node_id in sorted(by_id):
        parent = by_id[node_id].parent_id
        if parent is None or parent not in by_id:
            roots.append(node_id)
        else:
            children.setdefault(parent, []).append(node_id)
    order = roots
    index = 0
    while index < len(order):
        order.extend(children.get(order[index], ()))
        index += 1
    return order


def subtree_sums(nodes: Iterable[TreeNode], own: Mapping[int, float]) -> dict[int, float]:
    """For every node, the sum of `own` over the node and all its descendants."""
    node_list = list(nodes)
    return _sums_bottom_up(top_down(node_list), {node.id: node.parent_id for node in node_list}, own)


def _sums_bottom_up(
    order: Iterable[int], parent_of: Mapping[int, int | None], own: Mapping[int, float]
) -> dict[int, float]:
    order = list(order)
    totals = {node_id: own.get(node_id, 0.0) for node_id in parent_of}
    for node_id in reversed(order):
        parent = parent_of[node_id]
        if parent is not None and parent in totals:
            totals[parent] += totals[node_id]
    return totals


def active_at(node: ObjectiveNode, as_of: date) -> bool:
    """SCORING.md: status = active and (no end date or end date ≥ D)."""
    return node.status == ACTIVE and (node.end_date is None or node.end_date >= as_of)


@dataclass(frozen=True)
class Cascade:
    """The objectives seen at D.

    `live`: objectives whose whole chain up to the root is active at D. `roots`: the roots active
    at D (R). `intended`: p_o for every objective (0 where not active or under one that is not).
    """

    nodes: dict[int, ObjectiveNode]
    order: tuple[int, ...]
    active: frozenset[int]
    live: frozenset[int]
    roots: tuple[int, ...]
    intended: dict[int, float]

    def subtree_sums(self, own: Mapping[int, float]) -> dict[int, float]:
        """For every objective, the sum of `own` over it and all its descendants."""
        return _sums_bottom_up(self.order, {key: node.parent_id for key, node in self.nodes.items()}, own)

    def children(self) -> dict[int, list[int]]:
        """Objective id → its child objectives' ids (in id order)."""
        result: dict[int, list[int]] = {}
        for node_id in self.order:
            parent = self.nodes[node_id].parent_id
            if parent is not None and parent in self.nodes:
                result.setdefault(parent, []).append(node_id)
        return result


def cascade_build(objectives: Iterable[ObjectiveNode], as_of: date) -> Cascade:
    nodes = {node.id: node for node in sorted(objectives, key=lambda node: node.id)}
    order = top_down(nodes.values())
    active = frozenset(node_id for node_id, node in nodes.items() if active_at(node, as_of))

    live: set[int] = set()
    for node_id in order:
        parent = nodes[node_id].parent_id
        is_root = parent is None or parent not in nodes
        if node_id in active and (is_root or parent in live):
            live.add(node_id)

    roots = tuple(
        node_id
        for node_id in order
        if node_id in active and (nodes[node_id].parent_id is None or nodes[node_id].parent_id not in nodes)
    )
    return Cascade(
        nodes=nodes,
        order=tuple(order),
        active=active,
        live=frozenset(live),
        roots=roots,
        intended=_intended_shares(nodes, order, active, roots),
    )


def _intended_shares(
    nodes: Mapping[int, ObjectiveNode], order: list[int], active: frozenset[int], roots: tuple[int, ...]
) -> dict[int, float]:
    """p_r = w_r / Σ_R w; below, p_o = p_q × w_o / Σ w over q's children active at D."""
    shares = dict.fromkeys(nodes, 0.0)
    root_weight = sum(nodes[root].priority_weight for root in roots)
    for root in roots:
        shares[root] = nodes[root].priority_weight / root_weight
    active_child_weight: dict[int, float] = {}
    for node_id in order:
        parent = nodes[node_id].parent_id
        if node_id in active and parent is not None and parent in nodes:
            active_child_weight[parent] = (
                active_child_weight.get(parent, 0.0) + nodes[node_id].priority_weight
            )
    for node_id in order:
        parent = nodes[node_id].parent_id
        if node_id in active and parent is not None and parent in nodes and shares[parent] > 0:
            shares[node_id] = shares[parent] * nodes[node_id].priority_weight / active_child_weight[parent]
    return shares
