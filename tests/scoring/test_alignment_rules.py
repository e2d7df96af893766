"""SCORING.md "Alignment", rule by rule, on pure inputs (D = 2027-01-01, default parameters)."""

import pytest

from scoring.engine.alignment import TaskClass, task_class
from scoring.engine.cascade import cascade_build
from tests.scoring.builders import (
    D,
    calculate,
    day,
    done_work,
    initiative,
    objective,
    open_work,
    team,
    team_work,
)

# The cascade of the class tests:
#   1 active root ── 2 active            3 cancelled root       4 active root that ended at D − 1
#   5 draft root ── 6 active             7 active root ending on D (still active at D)
CASCADE = [
    objective(1),
    objective(2, parent=1),
    objective(3, status="cancelled"),
    objective(4, end_date=day(-1)),
    objective(5, status="draft"),
    objective(6, parent=5),
    objective(7, end_date=D),
]
INITIATIVES = [
    initiative(10, 2),
    initiative(11, 2, "on_hold"),
    initiative(12, None),
    initiative(13, 2, "proposed"),
    initiative(14, 2, "done"),
    initiative(15, 3),
]
# Efforts are powers of two, so that every sum below names its tasks.
CLASSES = [
    (open_work(1, objective_id=2), TaskClass.ALIGNED),  # live chain 2 → 1
    (open_work(2, initiative_id=10), TaskClass.ALIGNED),  # active initiative on a live chain
    (open_work(4, objective_id=7), TaskClass.ALIGNED),  # end_date = D is still active at D
    (open_work(8, initiative_id=11), TaskClass.MISALIGNED),  # initiative on hold
    (open_work(16, initiative_id=13), TaskClass.MISALIGNED),  # initiative proposed
    (open_work(32, initiative_id=14), TaskClass.MISALIGNED),  # initiative done
    (open_work(64, objective_id=3), TaskClass.MISALIGNED),  # cancelled objective
    (open_work(128, objective_id=4), TaskClass.MISALIGNED),  # ended objective
    (open_work(256, objective_id=6), TaskClass.MISALIGNED),  # active objective under a draft root
    (open_work(512, initiative_id=15), TaskClass.MISALIGNED),  # active initiative, cancelled objective
    (open_work(1024), TaskClass.ORPHAN),  # no link at all
    (open_work(2048, initiative_id=12), TaskClass.ORPHAN),  # an initiative with no objective
]


@pytest.mark.parametrize(("group", "expected"), CLASSES)
def test_every_task_falls_in_exactly_one_class(group, expected):
    # given the cascade above, when a task is classed, then
    cascade = cascade_build(CASCADE, D)
    assert task_class(group, cascade, {node.id: node for node in INITIATIVES}) is expected


def test_class_efforts_add_up_and_give_traceability():
    # aligned 1 + 2 + 4 = 7; misaligned 8 + … + 512 = 1016; orphan 1024 + 2048 = 3072; T = 7 / 4095
    result = calculate(objectives=CASCADE, initiatives=INITIATIVES, groups=[group for group, _ in CLASSES])
    assert result.alignment.effort == {
        TaskClass.ALIGNED: 7,
        TaskClass.MISALIGNED: 1016,
        TaskClass.ORPHAN: 3072,
    }
    assert result.alignment.traceability == pytest.approx(7 / 4095)
    assert result.alignment.count[TaskClass.MISALIGNED] == 7


def test_done_tasks_outside_the_window_are_not_in_scope():
    # given only work done before the activity window (the fetch sets recent_done_* to 0 for it)
    result = calculate(objectives=[objective(1)], groups=[done_work(5, recent=False, objective_id=1)])
    # then no task is in scope: alignment is undefined, not 0
    assert result.alignment.tasks_in_scope == 0
    assert result.alignment.score is None


def test_intended_shares_at_three_levels():
    # roots: A (w 2), B (w 2), C (draft, w 4) → R = {A, B}: p_A = p_B = 0.5, p_C = 0
    # under A: A1 (w 1), A2 (w 3), A3 (cancelled, w 4) → Σ active w = 4: p_A1 = 0.125, p_A2 = 0.375
    # under A2: A2a (w 1), A2b (w 2, ended at D − 1), A2c (w 1) → Σ = 2: p_A2a = p_A2c = 0.1875
    # A3a (active under the cancelled A3) and C1 (active under the draft C) get 0
    objectives = [
        objective(1, weight=2), objective(2, weight=2), objective(3, status="draft", weight=4),
        objective(11, parent=1, weight=1), objective(12, parent=1, weight=3),
        objective(13, parent=1, status="cancelled", weight=4),
        objective(121, parent=12, weight=1), objective(122, parent=12, weight=2, end_date=day(-1)),
        objective(123, parent=12, weight=1),
        objective(131, parent=13), objective(31, parent=3),
    ]  # fmt: skip
    result = calculate(objectives=objectives)
    assert result.cascade.intended == pytest.approx(
        {1: 0.5, 2: 0.5, 3: 0, 11: 0.125, 12: 0.375, 13: 0, 121: 0.1875, 122: 0, 123: 0.1875, 131: 0, 31: 0}
    )


def test_actual_shares_and_priority_fit():
    # roots A and B, weight 1 each: p = 0.5 / 0.5. Aligned work: 9 h on A's child, 1 h on B;
    # 5 h misaligned on a cancelled root (not in any actual share).
    # a_A = 0.9, a_A1 = 0.9, a_B = 0.1; F = 1 − ½ (|0.9 − 0.5| + |0.1 − 0.5|) = 0.6
    # T = 10 / 15; alignment = 100 × 2/3 × 0.6 = 40
    result = calculate(
        objectives=[objective(1), objective(2), objective(11, parent=1), objective(3, status="cancelled")],
        groups=[open_work(9, objective_id=11), open_work(1, objective_id=2), open_work(5, objective_id=3)],
    )
    shares = {node_id: row.actual_share for node_id, row in result.alignment.objectives.items()}
    assert shares == pytest.approx({1: 0.9, 2: 0.1, 11: 0.9, 3: 0.0})
    assert result.alignment.objectives[2].share_gap == pytest.approx(-0.4)
    assert result.alignment.priority_fit == pytest.approx(0.6)
    assert result.alignment.score == pytest.approx(40)


def test_alignment_is_zero_when_nothing_is_aligned_and_undefined_with_no_task_in_scope():
    # given only orphan work: T = 0 → alignment 0 (F is undefined: no aligned effort)
    orphan_only = calculate(objectives=[objective(1)], groups=[open_work(3)])
    assert orphan_only.alignment.traceability == 0
    assert orphan_only.alignment.priority_fit is None
    assert orphan_only.alignment.score == 0
    # given no task at all: undefined
    assert calculate(objectives=[objective(1)]).alignment.score is None


def test_priority_fit_is_undefined_without_active_roots():
    # given linked work under a cancelled root only
    result = calculate(objectives=[objective(1, status="cancelled")], groups=[open_work(3, objective_id=1)])
    assert result.cascade.roots == ()
    assert result.alignment.priority_fit is None
    assert result.alignment.score == 0  # T = 0


def test_per_objective_efforts_cover_the_subtree():
    # A (root) ← A1 (active) ← A1x (draft): aligned 2 h on A1, misaligned 3 h on A1x, orphan 7 h
    result = calculate(
        objectives=[objective(1), objective(11, parent=1), objective(111, parent=11, status="draft")],
        groups=[open_work(2, objective_id=11), open_work(3, objective_id=111), open_work(7)],
    )
    row = result.alignment.objectives[1]
    assert (row.aligned_effort, row.misaligned_effort, row.total_effort) == (2, 3, 5)
    assert result.alignment.objectives[111].total_effort == 3


def test_team_scores_cover_the_teams_below():
    # teams: 1 ← 2 ← 3, and 4 alone. Team 3: 3 h aligned of 4 h in scope → 75.
    # Team 2: its own 4 h (none aligned), plus team 3 → 3 / 8 = 37.5; team 1 (nothing of its own) → 37.5.
    # Team 4: no work → undefined. Work with no team (10 h) counts for no team.
    result = calculate(
        teams=[team(1), team(2, 1), team(3, 2), team(4)],
        team_efforts=[team_work(3, 3, 4), team_work(2, 0, 4), team_work(None, 10, 10)],
    )
    scores = {team_id: row.score for team_id, row in result.alignment.teams.items()}
    assert scores == {1: pytest.approx(37.5), 2: pytest.approx(37.5), 3: pytest.approx(75), 4: None}
    assert (result.alignment.teams[1].aligned_effort, result.alignment.teams[1].total_effort) == (3, 8)
    assert result.alignment.unassigned_effort == 10
