"""Rebalance: a drafted scenario that moves hours to where the strategy needs them, person by person.

The rule, at D on the live plan (`SCORING.md` "Resources" and "Signals beyond the scores"):

- **Receivers**: the active initiatives short of their demand (supply_i < demand_i) whose objective's
  chain is live, the highest intended share of their objective first (then the largest shortfall,
  then id). Each needs `demand_i − supply_i` hours in its window.
- **Donors**: the counted allocations of active people within their capacity (f_p = 1, so that every
  hour moved counts in full), of two kinds: *off-strategy* ones (to an initiative that serves no
  objective or one whose chain is not live) give all their hours; allocations to an *over-staffed*
  initiative give, between them, at most nine tenths of its surplus (so it stays covered with a
  margin). A receiver takes first from people of its own team, then off-strategy hours before
  surplus, then the largest donor.
- **A move** takes x hours a week from one allocation to the receiver (into the person's allocation
  there where one is counted, else a new one from D to the donor's end): the fewest half hours that
  close the shortfall over the days the moved hours overlap the receiver's window, or all the donor
  has. A person's load never changes, so no one is pushed past their capacity; a move that would
  give a person more than K concurrent allocations is not made unless it empties the donor.

A draft holds at most the first fifty moves (`MAX_MOVES`): drafting again after applying it finds
the next ones. The drafted scenario is evaluated before it is kept: the moves are dropped from the
last while the resources score would fall (the rule never lowers it; the check keeps that a fact).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from execgap.models import Membership
from execgap.roles import Action, Resource, require
from resources.models import Allocation
from scenarios.compare import comparison_of
from scenarios.edits import base_versions_of, plan_edits, rows_read
from scenarios.models import ChangeKind, Scenario, ScenarioChange
from scenarios.overlay import scenario_inputs
from scenarios.services import scenario_create
from scoring.collector import cycle_collector_paused
from scoring.engine.calculate import ScoringResult, scores_calculate
from scoring.engine.inputs import AllocationRow, InitiativeNode, Parameters, ScoringInputs
from scoring.engine.resources import current_allocations, people_load, window_end
from scoring.fetch import InputSource, consistent_read, parameters_fetch, scoring_inputs_fetch

SURPLUS_SHARE = 0.9  # of an over-staffed initiative's surplus that may move away
STEP = 0.5  # hours a week: moves are whole half hours
# A draft a person can read and weigh move by move: the first moves, to the highest-priority receivers
# (drafting again after applying it finds the next ones).
MAX_MOVES = 50


@dataclass(frozen=True)
class Move:
    allocation_id: int
    person_id: int
    from_initiative: int
    to_initiative: int
    hours: float  # a week
    into: int | None  # the person's counted allocation on the receiver, if any
    reason: str


@dataclass
class _Donor:
    allocation: AllocationRow
    team_id: int | None
    available: float  # hours a week it may still give
    off_strategy: bool


def _overlap_days(start: date, end: date | None, window_last: date, as_of: date) -> int:
    first = max(start, as_of)
    last = window_last if end is None or end > window_last else end
    return max(0, (last - first).days + 1)


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def rebalance_moves(
    result: ScoringResult, *, blocked: frozenset[tuple[int, int]] = frozenset()
) -> list[Move]:
    """The moves of the rule above, from a result computed on allocation rows (not sums). A person is
    on an initiative at most once on any day: hours go into their counted allocation there, or into
    one new allocation, never a second; `blocked` (person, initiative) pairs, where they already have
    an allocation that is not counted (a later one), get no new allocation either."""
    inputs, parameters = result.inputs, result.inputs.parameters
    cascade, resources, signals = result.cascade, result.resources, result.signals
    initiatives = {node.id: node for node in inputs.initiatives}
    active = {pk: node for pk, node in initiatives.items() if node.status == "active"}
    counted = current_allocations(inputs.allocations, active, parameters)
    loads = people_load(people=inputs.people, current=counted)
    people = {node.id: node for node in inputs.people}

    def serves_live(node: InitiativeNode) -> bool:
        return node.objective_id is not None and node.objective_id in cascade.live

    budget = {pk: SURPLUS_SHARE * signals.surplus[pk] for pk in signals.over_staffed}  # supply hours
    donors = [
        _Donor(
            row, people[row.person_id].team_id, row.hours_per_week,
            off_strategy=not serves_live(active[row.initiative_id]),
        )
        for row in counted
        if people[row.person_id].active and loads[row.person_id].factor == 1.0 and row.hours_per_week > 0
        and (not serves_live(active[row.initiative_id]) or row.initiative_id in budget)
    ]  # fmt: skip
    receivers = sorted(
        (
            staffing
            for pk, staffing in resources.initiatives.items()
            if staffing.supply < staffing.demand and serves_live(active[pk])
        ),
        key=lambda staffing: (
            -cascade.intended.get(active[staffing.initiative_id].objective_id or 0, 0.0),
            -(staffing.demand - staffing.supply),
            staffing.initiative_id,
        ),
    )
    by_pair: dict[tuple[int, int], AllocationRow] = {}
    for row in counted:
        by_pair.setdefault((row.person_id, row.initiative_id), row)
    donors.sort(key=lambda donor: (not donor.off_strategy, -donor.available, donor.allocation.id))
    everyone = _Queue(donors)
    by_team: dict[int | None, _Queue] = {}
    for donor in donors:
        by_team.setdefault(donor.team_id, _Queue([])).donors.append(donor)
    counts = {person_id: load.allocations for person_id, load in loads.items()}
    moves: list[Move] = []
    created: set[tuple[int, int]] = set()
    for staffing in receivers:
        receiver = active[staffing.initiative_id]
        need = staffing.demand - staffing.supply
        own = by_team.get(receiver.team_id, _Queue([]))
        others = (donor for donor in everyone.alive() if donor.team_id != receiver.team_id)
        for donor in itertools.chain(own.alive(), others):
            if need <= 1e-9:
                break
            pair = (donor.allocation.person_id, receiver.id)
            into = by_pair.get(pair)
            if into is None and (pair in blocked or pair in created):
                continue
            given = _move(donor, receiver, need, into, budget, active, parameters, counts)
            if given is None:
                continue
            hours, days = given
            if into is None:
                created.add(pair)
            need -= hours * days / 7
            moves.append(
                Move(
                    allocation_id=donor.allocation.id, person_id=donor.allocation.person_id,
                    from_initiative=donor.allocation.initiative_id, to_initiative=receiver.id, hours=hours,
                    into=into.id if into else None,
                    reason=_reason(
                        result, donor, active[donor.allocation.initiative_id].title, receiver,
                        staffing.supply / staffing.demand,
                    ),
                )
            )  # fmt: skip
    return moves


@dataclass
class _Queue:
    """Donors in the order they give; those that gave everything are passed over from the front."""

    donors: list[_Donor]
    first: int = 0

    def alive(self) -> Iterator[_Donor]:
        while self.first < len(self.donors) and self.donors[self.first].available <= 0:
            self.first += 1
        for at in range(self.first, len(self.donors)):
            if self.donors[at].available > 0:
                yield self.donors[at]


def _move(
    donor: _Donor,
    receiver: InitiativeNode,
    need: float,
    into: AllocationRow | None,
    budget: dict[int, float],
    active: dict[int, InitiativeNode],
    parameters: Parameters,
    counts: dict[int, int],
) -> tuple[float, int] | None:
    """(hours a week, days they count in the receiver's window) that `donor` gives, taken off it; none
    where it cannot give, or where a new allocation would spread its person thin (more than K)."""
    row, as_of = donor.allocation, parameters.as_of
    if donor.available <= 0 or row.initiative_id == receiver.id:
        return None
    start = row.start_date or as_of
    target = into or row  # the hours land in `into`, or in a new allocation over the donor's dates
    days = _overlap_days(target.start_date or as_of, target.end_date, window_end(receiver, parameters), as_of)
    donor_days = _overlap_days(start, row.end_date, window_end(active[row.initiative_id], parameters), as_of)
    if days == 0:
        return None
    giving = donor.available
    if not donor.off_strategy and donor_days:
        giving = min(giving, budget[row.initiative_id] * 7 / donor_days)
    hours = math.floor(min(giving, math.ceil(need * 7 / days / STEP) * STEP) / STEP) * STEP
    if hours <= 0:
        return None
    empties, creates = hours >= donor.available, into is None
    person = row.person_id
    if creates and not empties and counts[person] + 1 > parameters.spread_thin_allocations:
        return None
    counts[person] += int(creates) - int(empties)
    donor.available -= hours
    if not donor.off_strategy:
        budget[row.initiative_id] -= hours * donor_days / 7
    return hours, days


def _reason(
    result: ScoringResult, donor: _Donor, source: str, receiver: InitiativeNode, coverage: float
) -> str:
    """Where the hours come from and why they go where they go, in a sentence."""
    objective = result.cascade.nodes[receiver.objective_id] if receiver.objective_id else None
    priority = result.cascade.intended.get(receiver.objective_id or 0, 0.0)
    surplus = result.signals.surplus.get(donor.allocation.initiative_id, 0.0)
    why_from = (
        f"“{source}” serves no live objective"
        if donor.off_strategy
        else f"“{source}” has {surplus:.0f} h more than it needs"
    )
    target = f"“{receiver.title}” is {_percent(coverage)} covered"
    if objective is not None:
        target += f" and serves “{objective.title}” ({_percent(priority)} of the intended effort)"
    return f"{why_from}; {target}."[:300]


def _fetch(organization_id: int, as_of: date) -> tuple[ScoringInputs, ScoringResult, datetime | None]:
    with consistent_read():
        parameters, changed_at = parameters_fetch(organization_id=organization_id, as_of=as_of)
        inputs = scoring_inputs_fetch(
            organization_id=organization_id, parameters=parameters, source=InputSource.TALLIES_AND_ALLOCATIONS
        )
    return inputs, scores_calculate(inputs), changed_at


def _allocated_pairs(
    organization_id: int, pairs: list[tuple[int, int]], as_of: date
) -> frozenset[tuple[int, int]]:
    """Those of the (person, initiative) pairs with an allocation not ended before D (not counted,
    since it starts after the horizon, yet a new one from D would overlap it)."""
    if not pairs:
        return frozenset()
    people, initiatives = sorted({p for p, _ in pairs}), sorted({i for _, i in pairs})
    found = (
        Allocation.objects.for_org(organization_id)
        .filter(person_id__in=people, initiative_id__in=initiatives)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
        .values_list("person_id", "initiative_id")
    )
    return frozenset(found) & frozenset(pairs)


def _change(organization_id: int, position: int, move: Move) -> ScenarioChange:
    values = {
        "initiative": move.to_initiative,
        "hours_per_week": str(Decimal(str(move.hours))),
        "into": move.into,
    }
    return ScenarioChange(
        organization_id=organization_id, position=position, kind=ChangeKind.HOURS_MOVE,
        target_id=move.allocation_id, values=values, reason=move.reason,
    )  # fmt: skip


@cycle_collector_paused()  # the engine allocates rows by the hundred thousand
def rebalance_draft(*, actor: Membership, as_of: date | None = None) -> Scenario:
    """Draft (and evaluate) a rebalance scenario of the live plan at D (today's UTC date unless given)."""
    require(actor, Resource.SCENARIO, Action.CREATE)
    organization_id = actor.organization_id
    as_of = as_of or timezone.now().astimezone(UTC).date()
    inputs, baseline, changed_at = _fetch(organization_id, as_of)
    moves = rebalance_moves(baseline)
    new_pairs = [(move.person_id, move.to_initiative) for move in moves if move.into is None]
    blocked = _allocated_pairs(organization_id, new_pairs, as_of)
    if blocked:
        moves = rebalance_moves(baseline, blocked=blocked)
    moves = moves[:MAX_MOVES]
    while True:
        changes = [_change(organization_id, at, move) for at, move in enumerate(moves, start=1)]
        live = rows_read(organization_id, changes)
        edits = plan_edits(organization_id=organization_id, changes=changes, as_of=as_of, live=live)
        after = scores_calculate(
            scenario_inputs(organization_id=organization_id, inputs=inputs, edits=edits).scenario
        )
        if not moves or (after.resources.score or 0.0) >= (baseline.resources.score or 0.0) - 1e-9:
            break
        moves.pop()
    moved = sum(move.hours for move in moves)
    description = (
        ngettext("%(count)d move", "%(count)d moves", len(moves))
        % {"count": len(moves)}
        + f" of {moved:g} hours a week in all, from off-strategy work and surplus to the "
        f"under-covered initiatives of the highest-priority live objectives."
        if moves
        else "Nothing to move: no off-strategy or surplus hours of people within their capacity, or no "
        "initiative of a live objective short of its demand."
    )
    with transaction.atomic():
        scenario = scenario_create(
            actor=actor, data={"name": f"Rebalance {as_of.isoformat()}", "description": description}
        )
        for change in changes:
            change.scenario = scenario
            change.base_versions = base_versions_of(change, live)
        ScenarioChange.objects.bulk_create(changes)
        Scenario.objects.filter(pk=scenario.pk).update(
            evaluation=comparison_of(baseline, after, edits), evaluated_at=timezone.now(),
            evaluated_as_of=as_of, evaluated_plan_at=changed_at,
        )  # fmt: skip
    scenario.refresh_from_db()
    return scenario
