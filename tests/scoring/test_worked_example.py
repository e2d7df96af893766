"""SCORING.md "A worked example", end to end: rows in the database → scores_recompute → the snapshot."""

from types import SimpleNamespace

import pytest

from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore
from scoring.selectors import snapshot_latest
from scoring.services import scores_recompute
from tests.scoring.conftest import WORKED_EXAMPLE_DATE

pytestmark = pytest.mark.django_db

ROUNDED = 0.005  # the example prints two decimals


@pytest.fixture
def snapshot(worked_example: SimpleNamespace) -> ScoreSnapshot:
    return scores_recompute(organization_id=worked_example.org.pk, as_of=WORKED_EXAMPLE_DATE)


def test_the_snapshot_is_the_latest_and_records_d_and_the_parameters(worked_example, snapshot):
    # given the worked example, when it is recomputed (fixture), then
    assert snapshot_latest(organization=worked_example.org) == snapshot
    assert snapshot.as_of == WORKED_EXAMPLE_DATE
    assert (snapshot.activity_window_days, snapshot.planning_horizon_days, snapshot.checkin_cadence_days) == (
        28, 90, 14,
    )  # fmt: skip
    assert (float(snapshot.default_task_effort_hours), snapshot.spread_thin_allocations) == (4.0, 3)


def test_alignment(snapshot):
    # In scope: x1 x2 x3 x4 x5 x6 x8 = 38 h; aligned x1, x2 = 14 h; misaligned x3, x4, x8 = 13 h;
    # orphan x5, x6 = 11 h. T = 14/38, F = 0.75, alignment = 100 × 14/38 × 0.75 = 27.63.
    parts = snapshot.parts["alignment"]
    assert parts["tasks_in_scope"] == 7
    assert parts["total_effort"] == pytest.approx(38)
    assert parts["aligned_effort"] == pytest.approx(14)
    assert parts["misaligned_effort"] == pytest.approx(13)
    assert parts["orphan_effort"] == pytest.approx(11)
    assert parts["traceability"] == pytest.approx(14 / 38)
    assert parts["priority_fit"] == pytest.approx(0.75)
    assert snapshot.alignment == pytest.approx(27.63, abs=ROUNDED)


def test_intended_and_actual_shares(worked_example, snapshot):
    # Intended: r1 0.75, r2 0.25, r3 0, c1 0.375, c2 0.375, c3 0. Actual: r1 1, r2 0.
    rows = {row.title: row for row in ObjectiveScore.objects.filter(snapshot=snapshot)}
    intended = {title: row.intended_share for title, row in rows.items()}
    assert intended == pytest.approx({"r1": 0.75, "r2": 0.25, "r3": 0, "c1": 0.375, "c2": 0.375, "c3": 0})
    assert rows["r1"].actual_share == pytest.approx(1)
    assert rows["r2"].actual_share == pytest.approx(0)
    assert rows["r2"].share_gap == pytest.approx(-0.25)
    # r1's subtree: x1 (10, aligned), x2 (4, aligned), x8 (5, misaligned under the draft c3)
    assert (rows["r1"].aligned_effort, rows["r1"].misaligned_effort, rows["r1"].total_effort) == (14, 5, 19)
    assert rows["r1"].objective_id == worked_example.r1.pk


def test_team_alignment_covers_the_teams_below(snapshot):
    # t1: x1 (aligned 10) and x5 (orphan 8, its assignee p1 is in t1) → 10/18 = 55.56;
    # t0 with t1: x1, x5 and x3 (misaligned 6) → 10/24 = 41.67.
    teams = {row.name: row for row in TeamScore.objects.filter(snapshot=snapshot)}
    assert teams["t1"].score == pytest.approx(55.56, abs=ROUNDED)
    assert teams["t0"].score == pytest.approx(41.67, abs=ROUNDED)
    assert (teams["t0"].aligned_effort, teams["t0"].total_effort) == (10, 24)
    # and each team's work by class, as the alignment page shows it: t1 has x1 (aligned, 10 h) and x5
    # (orphan, 8 h); t0 adds x3 (6 h, its initiative on hold: misaligned)
    by_class = {
        name: (
            row.aligned_effort,
            row.misaligned_effort,
            row.orphan_effort,
            row.misaligned_tasks,
            row.orphan_tasks,
        )
        for name, row in teams.items()
    }
    assert by_class == {"t1": (10, 0, 8, 0, 1), "t0": (10, 6, 8, 1, 1)}
    # and the work with no team (x2 aligned 4 h, x4 and x8 misaligned 2 h and 5 h, x6 orphan 3 h)
    assert snapshot.parts["alignment"]["without_team"] == {
        "aligned_effort": 4, "misaligned_effort": 7, "orphan_effort": 3,
        "misaligned_tasks": 2, "orphan_tasks": 1,
    }  # fmt: skip


def test_resources(worked_example, snapshot):
    # i1: days_left 30, window 30, remaining max(10, 50 − 0) = 50, demand 50;
    # supply 20 × 30/7 + 20 × 1/3 × 20/7 = 104.76. i3: demand 3, supply 10 × 1/3 × 90/7 = 42.86.
    initiatives = {row.title: row for row in InitiativeScore.objects.filter(snapshot=snapshot)}
    assert set(initiatives) == {"i1", "i3"}  # only active initiatives take part
    i1, i3 = initiatives["i1"], initiatives["i3"]
    assert (i1.days_left, i1.window_days, i1.remaining, i1.demand) == (30, 30, 50, 50)
    assert i1.supply == pytest.approx(104.76, abs=ROUNDED)
    assert i1.coverage == 1
    assert (i3.days_left, i3.window_days, i3.demand) == (90, 90, 3)
    assert i3.supply == pytest.approx(42.86, abs=ROUNDED)
    objectives = {row.title: row for row in ObjectiveScore.objects.filter(snapshot=snapshot)}
    assert objectives["r1"].coverage == 1
    assert objectives["r2"].coverage == 0  # no active initiative
    assert snapshot.resources == pytest.approx(75)
    over = snapshot.drivers["people_over_capacity"]
    assert [person["id"] for person in over] == [worked_example.p2.pk]
    assert over[0]["load"] == pytest.approx(30)
    assert snapshot.parts["resources"]["off_strategy_capacity"] == pytest.approx(3.33, abs=ROUNDED)


def test_adaptability(worked_example, snapshot):
    # Tracked r1 r2 c1 c2 i1 i3; fresh c1 (through k1) and i1 → 2/6. Due: the first blocker
    # (answered in 5 days) and the risk (resolved after 10 days) → 1/2. 100 × (1/3 + 1/2) / 2 = 41.67.
    parts = snapshot.parts["adaptability"]
    assert (parts["fresh_items"], parts["tracked_items"]) == (2, 6)
    assert (parts["feedback_answered"], parts["feedback_due"]) == (1, 2)
    assert snapshot.adaptability == pytest.approx(41.67, abs=ROUNDED)
    unanswered = snapshot.drivers["unanswered_feedback"]
    assert [item["id"] for item in unanswered] == [worked_example.risk_late.pk]


def test_people_and_health(snapshot):
    # Owned by an active person: r1, c1, i1 → 3/6; owners p1, p2 both checked in → 1. People = 75.
    # Health = (27.63 + 75 + 41.67 + 75) / 4 = 54.82.
    parts = snapshot.parts["people"]
    assert (parts["owned_items"], parts["tracked_items"]) == (3, 6)
    assert (parts["owners_checked_in"], parts["owners"]) == (2, 2)
    assert snapshot.people == pytest.approx(75)
    assert snapshot.execution_health == pytest.approx(54.82, abs=ROUNDED)


def test_progress(snapshot):
    # c1 0.4 (k1); c2 1.0 (its one task is done); c3 0 (a draft: not counted in r1);
    # r1 = (0.4 + 1.0) / 2 = 0.7.
    progress = {row.title: row.progress for row in ObjectiveScore.objects.filter(snapshot=snapshot)}
    assert progress["c1"] == pytest.approx(0.4)
    assert progress["c2"] == pytest.approx(1.0)
    assert progress["c3"] == pytest.approx(0)
    assert progress["r1"] == pytest.approx(0.7)


def test_drivers_name_the_largest_orphan_and_misaligned_tasks(worked_example, snapshot):
    drivers = snapshot.drivers
    assert [task["title"] for task in drivers["orphan_tasks"]] == ["x5", "x6"]
    assert drivers["orphan_tasks"][0]["team_id"] == worked_example.t1.pk  # through its assignee
    misaligned = {task["title"]: task["reason"] for task in drivers["misaligned_tasks"]}
    assert list(misaligned) == ["x3", "x8", "x4"]
    assert misaligned["x3"] == f"initiative {worked_example.i2.pk} is on_hold"
    assert misaligned["x4"] == f"objective {worked_example.r3.pk} is cancelled"
    assert misaligned["x8"] == f"objective {worked_example.c3.pk} is draft"
    stale = {(item["kind"], item["id"]) for item in drivers["stale_items"]}
    w = worked_example
    assert stale == {
        ("objective", w.r1.pk),
        ("objective", w.r2.pk),
        ("objective", w.c2.pk),
        ("initiative", w.i3.pk),
    }
