"""Properties of the pure calculation on random organizations (hypothesis)."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine.calculate import canonical, scores_calculate
from scoring.engine.explain import drivers_of, parts_of
from scoring.engine.inputs import (
    AllocationRow,
    CheckInFacts,
    FeedbackRow,
    InitiativeNode,
    KeyResultNode,
    ObjectiveNode,
    Parameters,
    PersonNode,
    ScoringInputs,
    TaskGroup,
    TeamEffort,
    TeamNode,
)
from tests.scoring.builders import D

OBJECTIVE_STATUSES = ["active", "active", "active", "draft", "achieved", "cancelled"]
INITIATIVE_STATUSES = ["active", "active", "proposed", "on_hold", "done", "cancelled"]
FEEDBACK_KINDS = ["blocker", "risk", "idea"]
WEIGHTS = [0.25, 1.0, 2.0, 3.5]
HOURS = [0.0, 0.5, 1.0, 2.0, 4.0, 7.5, 10.0, 40.0]
ESTIMATES = [None, 0.0, 5.0, 30.0, 200.0]
CAPACITIES = [0.0, 10.0, 40.0]

# Rows are drawn as tuples of small integers (fast to generate and to shrink) and turned into nodes
# below; a link "pick" p becomes the id p mod n + 1 of one of the n rows it can point to.
pick = st.one_of(st.none(), st.integers(0, 30))
day_offset = st.one_of(st.none(), st.integers(-120, 150))
small = st.integers(0, 7)
objective_rows = st.lists(st.tuples(pick, small, small, day_offset, day_offset, pick), max_size=12)
initiative_rows = st.lists(st.tuples(pick, small, day_offset, small, pick), max_size=8)
allocation_rows = st.lists(st.tuples(small, pick, small, day_offset, day_offset), max_size=10)
group_rows = st.lists(st.tuples(st.integers(0, 2), pick, *[st.integers(0, 3), small] * 3), max_size=15)
team_rows = st.lists(st.tuples(pick, small, small), max_size=6)
key_result_rows = st.lists(st.tuples(pick, small, small, small), max_size=5)
feedback_rows = st.lists(
    st.tuples(small, st.integers(0, 24 * 100), st.one_of(st.none(), st.integers(0, 300))), max_size=6
)
check_in_rows = st.lists(st.tuples(st.integers(0, 2), small, st.integers(-30, 5)), max_size=12)


def link(value: int | None, count: int) -> int | None:
    return None if value is None or count == 0 else value % count + 1


def day(offset: int | None):
    return None if offset is None else D + timedelta(days=offset)


def ordered(start, end):
    return (end, start) if start and end and end < start else (start, end)


@st.composite
def organizations(draw) -> ScoringInputs:
    objectives = []
    for id_, (parent, status, weight, start, end, owner) in enumerate(draw(objective_rows), start=1):
        start_date, end_date = ordered(day(start), day(end))
        objectives.append(
            ObjectiveNode(
                id_, link(parent, id_ - 1), OBJECTIVE_STATUSES[status % 6], WEIGHTS[weight % 4],
                start_date, end_date, link(owner, 6),
            )
        )  # fmt: skip
    n_objectives = len(objectives)
    initiatives = [
        InitiativeNode(
            id_, link(objective, n_objectives), INITIATIVE_STATUSES[status % 6], day(end),
            ESTIMATES[estimate % 5], link(owner, 6),
        )
        for id_, (objective, status, end, estimate, owner) in enumerate(draw(initiative_rows), start=1)
    ]  # fmt: skip
    n_initiatives = len(initiatives)
    n_teams = draw(st.integers(0, 5))
    teams = [TeamNode(id_, link(draw(pick), id_ - 1)) for id_ in range(1, n_teams + 1)]
    people = [
        PersonNode(id_, link(team, n_teams), CAPACITIES[capacity % 3], active)
        for id_, (team, capacity, active) in enumerate(
            draw(st.lists(st.tuples(pick, small, st.booleans()), min_size=6, max_size=6)), start=1
        )
    ]
    allocations = [
        AllocationRow(id_, person % 6 + 1, initiative_id, HOURS[hours], *ordered(day(start), day(end)))
        for id_, (person, initiative, hours, start, end) in enumerate(draw(allocation_rows), start=1)
        if (initiative_id := link(initiative, n_initiatives)) is not None
    ]
    groups = []
    for kind, target, open_n, open_h, recent_n, recent_h, old_n, old_h in draw(group_rows):
        open_effort = HOURS[open_h] if open_n else 0.0
        recent_effort = HOURS[recent_h] if recent_n else 0.0
        old_effort = HOURS[old_h] if old_n else 0.0
        groups.append(
            TaskGroup(
                objective_id=link(target, n_objectives) if kind == 0 else None,
                initiative_id=link(target, n_initiatives) if kind == 1 else None,
                open_effort=open_effort, open_count=open_n,
                recent_done_effort=recent_effort, recent_done_count=recent_n,
                done_effort=recent_effort + old_effort, done_count=recent_n + old_n,
            )
        )  # fmt: skip
    team_efforts = [
        TeamEffort(link(team, n_teams), min(HOURS[aligned], HOURS[total]), HOURS[total])
        for team, aligned, total in draw(team_rows)
    ]
    key_results = [
        KeyResultNode(id_, objective_id, float(start), float(target), float(current), 1.0)
        for id_, (objective, start, target, current) in enumerate(draw(key_result_rows), start=1)
        if (objective_id := link(objective, n_objectives)) is not None
    ]
    last: list[dict] = [{}, {}, {}]
    for kind, target, offset in draw(check_in_rows):
        count = [n_objectives, n_initiatives, 6][kind]
        if count:
            last[kind][target % count + 1] = day(offset)
    midnight = datetime(D.year, D.month, D.day, tzinfo=UTC)
    feedback = [
        FeedbackRow(
            id_, FEEDBACK_KINDS[kind % 3], midnight - timedelta(hours=age),
            acknowledged_at=None if answer is None else midnight - timedelta(hours=age - answer),
        )
        for id_, (kind, age, answer) in enumerate(draw(feedback_rows), start=1)
    ]  # fmt: skip
    return ScoringInputs(
        parameters=Parameters(as_of=D, planning_horizon_days=draw(st.sampled_from([5, 30, 90]))),
        objectives=tuple(objectives), key_results=tuple(key_results), initiatives=tuple(initiatives),
        teams=tuple(teams), people=tuple(people), allocations=tuple(allocations), task_groups=tuple(groups),
        team_efforts=tuple(team_efforts), check_ins=CheckInFacts(*last), feedback=tuple(feedback),
    )  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(organizations())
def test_scores_are_within_0_and_100(inputs):
    result = scores_calculate(inputs)
    for score in (
        result.alignment.score,
        result.resources.score,
        result.adaptability.score,
        result.people.score,
        result.execution_health,
        *(team.score for team in result.alignment.teams.values()),
    ):
        assert score is None or -1e-9 <= score <= 100 + 1e-9
    for coverage in result.resources.objectives.values():
        assert 0 <= coverage.coverage <= 1 + 1e-12


@settings(max_examples=150, deadline=None)
@given(organizations())
def test_aligned_misaligned_and_orphan_effort_add_up_to_the_work_in_scope(inputs):
    result = scores_calculate(inputs)
    parts = parts_of(result)["alignment"]
    in_scope = sum(group.scope_effort for group in inputs.task_groups)
    assert parts["aligned_effort"] + parts["misaligned_effort"] + parts["orphan_effort"] == pytest.approx(
        in_scope
    )
    assert parts["total_effort"] == pytest.approx(in_scope)
    for root in result.cascade.order:
        row = result.alignment.objectives[root]
        assert row.total_effort == pytest.approx(row.aligned_effort + row.misaligned_effort)


@settings(max_examples=150, deadline=None)
@given(organizations())
def test_intended_shares_sum_to_one_over_the_active_roots_and_split_down_the_tree(inputs):
    cascade = scores_calculate(inputs).cascade
    if cascade.roots:
        assert sum(cascade.intended[root] for root in cascade.roots) == pytest.approx(1)
    else:
        assert all(share == 0 for share in cascade.intended.values())
    for parent, children in cascade.children().items():
        active = [child for child in children if child in cascade.active]
        if active and cascade.intended[parent] > 0 and parent in cascade.active:
            assert sum(cascade.intended[child] for child in active) == pytest.approx(cascade.intended[parent])


@given(st.randoms(use_true_random=False))
def test_canonical_orders_rows_by_every_field_even_when_their_links_repeat(rng: random.Random):
    # Given task groups and team efforts where two rows share their link (or team) and differ after it,
    groups = [
        TaskGroup(objective_id=None, initiative_id=7, open_effort=2.0),
        TaskGroup(objective_id=3, initiative_id=None, open_effort=5.0),
        TaskGroup(objective_id=3, initiative_id=None, open_effort=1.0),
        TaskGroup(objective_id=None, initiative_id=None, open_effort=4.0),
    ]
    efforts = [
        TeamEffort(team_id=2, aligned_effort=1.0, total_effort=3.0),
        TeamEffort(team_id=None, aligned_effort=0.0, total_effort=1.0),
        TeamEffort(team_id=2, aligned_effort=0.5, total_effort=3.0),
    ]
    rng.shuffle(groups)
    rng.shuffle(efforts)
    inputs = ScoringInputs(
        parameters=Parameters(as_of=D), task_groups=tuple(groups), team_efforts=tuple(efforts)
    )

    # When they are put in canonical order,
    ordered = canonical(inputs)

    # Then they are ordered by every field, None first, whatever order they came in.
    assert [(g.objective_id, g.initiative_id, g.open_effort) for g in ordered.task_groups] == [
        (None, None, 4.0), (None, 7, 2.0), (3, None, 1.0), (3, None, 5.0),
    ]  # fmt: skip
    assert [(e.team_id, e.aligned_effort) for e in ordered.team_efforts] == [(None, 0.0), (2, 0.5), (2, 1.0)]


@settings(max_examples=150, deadline=None)
@given(organizations(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_the_rows(inputs, rng: random.Random):
    def shuffled(rows):
        rows = list(rows)
        rng.shuffle(rows)
        return tuple(rows)

    reordered = replace(
        inputs,
        objectives=shuffled(inputs.objectives), key_results=shuffled(inputs.key_results),
        initiatives=shuffled(inputs.initiatives), teams=shuffled(inputs.teams),
        people=shuffled(inputs.people),
        allocations=shuffled(inputs.allocations), task_groups=shuffled(inputs.task_groups),
        team_efforts=shuffled(inputs.team_efforts),
        feedback=shuffled(inputs.feedback),
    )  # fmt: skip
    first, second = scores_calculate(inputs), scores_calculate(reordered)
    assert parts_of(first) == parts_of(second)
    assert drivers_of(first, {}) == drivers_of(second, {})
    assert first.progress == second.progress
    assert first.alignment.objectives == second.alignment.objectives
    assert first.alignment.teams == second.alignment.teams
    assert first.resources == second.resources
    assert first.execution_health == second.execution_health
