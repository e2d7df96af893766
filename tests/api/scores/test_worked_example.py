"""SCORING.md "A worked example" through the API: rows made with factories, a recompute for
2027-01-01 asked for with POST scores/recompute/, then every number read back from the endpoints."""

import pytest

from tests.api.scores.conftest import url

pytestmark = pytest.mark.django_db

ROUNDED = 0.005  # SCORING.md prints two decimals


def by_title(rows, key="title"):
    return {row[key]: row for row in rows}


def test_the_recompute_job_names_its_snapshot_and_scores(example):
    # given the worked example recomputed through the API (fixture), then the job says what it made
    job = example.job
    assert (job.kind, job.state, job.done, job.total, job.error) == ("recompute", "succeeded", 1, 1, "")
    assert job.parameters == {"as_of": "2027-01-01"}
    assert job.result["as_of"] == "2027-01-01"
    assert job.result["execution_health"] == pytest.approx(54.82, abs=ROUNDED)
    assert job.started_at is not None
    assert job.finished_at >= job.started_at


def test_the_five_numbers_and_the_parameters(example):
    # when a viewer reads scores/
    response = example.client.get(url(example.org))
    # then: alignment 27.63, resources 75, adaptability 41.67, people 75, health 54.82
    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2027-01-01"
    assert data["snapshot"] == example.job.result["snapshot"]
    assert data["computed_at"] is not None
    assert data["stale"] is False
    assert data["stale_since"] is None
    assert data["alignment"]["score"] == pytest.approx(27.63, abs=ROUNDED)
    assert data["resources"]["score"] == pytest.approx(75)
    assert data["adaptability"]["score"] == pytest.approx(41.67, abs=ROUNDED)
    assert data["people"]["score"] == pytest.approx(75)
    assert data["execution_health"] == pytest.approx(54.82, abs=ROUNDED)
    assert data["parameters"] == {
        "activity_window_days": 28,
        "planning_horizon_days": 90,
        "checkin_cadence_days": 14,
        "default_task_effort_hours": 4.0,
        "spread_thin_allocations": 3,
    }


def test_the_alignment_parts(example):
    # In scope: 38 h; aligned x1, x2 = 14 h; misaligned x3, x4, x8 = 13 h; orphan x5, x6 = 11 h.
    # T = 14/38; intended r1 0.75, r2 0.25; actual r1 1, r2 0; F = 0.75.
    parts = example.client.get(url(example.org)).json()["alignment"]["parts"]
    assert parts["tasks_in_scope"] == 7
    assert (parts["aligned_tasks"], parts["misaligned_tasks"], parts["orphan_tasks"]) == (2, 3, 2)
    assert (parts["aligned_effort"], parts["misaligned_effort"], parts["orphan_effort"]) == (14, 13, 11)
    assert parts["total_effort"] == 38
    assert parts["traceability"] == pytest.approx(14 / 38)
    assert parts["priority_fit"] == pytest.approx(0.75)
    assert parts["roots"] == [
        {"objective_id": example.r1.pk, "title": "r1", "intended_share": 0.75, "actual_share": 1.0},
        {"objective_id": example.r2.pk, "title": "r2", "intended_share": 0.25, "actual_share": 0.0},
    ]


def test_the_resources_parts(example):
    # r1 coverage 1, r2 coverage 0 (no active initiative); over capacity: p2; off-strategy 3.33 h/week.
    parts = example.client.get(url(example.org)).json()["resources"]["parts"]
    assert parts["roots"] == [
        {"objective_id": example.r1.pk, "title": "r1", "intended_share": 0.75, "coverage": 1.0},
        {"objective_id": example.r2.pk, "title": "r2", "intended_share": 0.25, "coverage": 0.0},
    ]
    assert (parts["active_roots"], parts["active_initiatives"]) == (2, 2)
    assert (parts["people_over_capacity"], parts["people_spread_thin"]) == (1, 0)
    assert parts["off_strategy_capacity"] == pytest.approx(10 / 3)
    assert parts["demand"] == pytest.approx(53)  # i1 50 + i3 3
    assert parts["supply"] == pytest.approx(104.76 + 42.86, abs=2 * ROUNDED)


def test_the_adaptability_and_people_parts(example):
    # Fresh c1 (through k1) and i1 of 6 tracked; 1 of 2 due blockers and risks answered.
    # Owned by an active person: r1, c1, i1 of 6; owners p1 and p2 both checked in.
    data = example.client.get(url(example.org)).json()
    assert data["adaptability"]["parts"] == {
        "tracked_items": 6,
        "fresh_items": 2,
        "freshness": pytest.approx(1 / 3),
        "feedback_due": 2,
        "feedback_answered": 1,
        "responsiveness": 0.5,
    }
    assert data["people"]["parts"] == {
        "tracked_items": 6,
        "owned_items": 3,
        "ownership": 0.5,
        "owners": 2,
        "owners_checked_in": 2,
        "participation": 1.0,
    }


def test_the_objective_rows(example):
    response = example.client.get(url(example.org, "objectives/"))
    assert response.status_code == 200
    rows = by_title(response.json()["results"])
    assert set(rows) == {"r1", "r2", "r3", "c1", "c2", "c3"}
    intended = {title: row["intended_share"] for title, row in rows.items()}
    assert intended == pytest.approx({"r1": 0.75, "r2": 0.25, "r3": 0, "c1": 0.375, "c2": 0.375, "c3": 0})
    r1, r2 = rows["r1"], rows["r2"]
    assert (r1["id"], r1["parent_id"], rows["c1"]["parent_id"]) == (example.r1.pk, None, example.r1.pk)
    assert (r1["actual_share"], r1["share_gap"]) == pytest.approx((1, 0.25))
    assert (r2["actual_share"], r2["share_gap"]) == pytest.approx((0, -0.25))
    # r1's subtree: x1 10 h and x2 4 h aligned, x8 5 h misaligned under the draft c3
    assert (r1["aligned_effort"], r1["misaligned_effort"], r1["total_effort"]) == (14, 5, 19)
    # staffing: i1 (demand 50, fully covered) is under c1 under r1; r2 has no active initiative
    assert (r1["demand"], r1["covered"], r1["coverage"]) == (50, 50, 1)
    assert (rows["c1"]["coverage"], r2["coverage"], r2["demand"]) == (1, 0, 0)
    # progress: c1 0.4 (k1), c2 1.0 (its one task done), c3 0 (a draft: not counted), r1 (0.4 + 1.0) / 2 = 0.7
    progress = {title: row["progress"] for title, row in rows.items() if title in ("r1", "c1", "c2", "c3")}
    assert progress == pytest.approx({"r1": 0.7, "c1": 0.4, "c2": 1.0, "c3": 0})
    # no dates: no expected progress, no status (null, not "")
    assert (r1["expected_progress"], r1["progress_status"]) == (None, None)


def test_the_initiative_rows(example):
    # i1: days_left 30, window 30, remaining 50, demand 50, supply 104.76, coverage 1;
    # i3: demand 3, supply 42.86. i2 is on hold: it takes no part.
    rows = by_title(example.client.get(url(example.org, "initiatives/")).json()["results"])
    assert set(rows) == {"i1", "i3"}
    i1, i3 = rows["i1"], rows["i3"]
    assert (i1["id"], i1["objective_id"], i3["objective_id"]) == (example.i1.pk, example.c1.pk, None)
    assert (i1["days_left"], i1["window_days"], i1["remaining"], i1["demand"]) == (30, 30, 50, 50)
    assert i1["supply"] == pytest.approx(104.76, abs=ROUNDED)
    assert i1["coverage"] == 1
    assert i1["end_date"] == "2027-01-30"
    assert (i3["demand"], i3["coverage"]) == (3, 1)
    assert i3["supply"] == pytest.approx(42.86, abs=ROUNDED)


def test_the_team_rows(example):
    # t1: x1 (aligned 10) and x5 (orphan 8) → 55.56; t0 with t1: x1, x5, x3 → 10/24 = 41.67
    rows = by_title(example.client.get(url(example.org, "teams/")).json()["results"], key="name")
    assert rows["t1"]["score"] == pytest.approx(55.56, abs=ROUNDED)
    assert (rows["t1"]["aligned_effort"], rows["t1"]["total_effort"]) == (10, 18)
    assert rows["t0"]["score"] == pytest.approx(41.67, abs=ROUNDED)
    assert (rows["t0"]["aligned_effort"], rows["t0"]["total_effort"]) == (10, 24)
    assert (rows["t1"]["id"], rows["t1"]["parent_id"]) == (example.t1.pk, example.t0.pk)


def test_the_drivers(example):
    response = example.client.get(url(example.org, "drivers/"))
    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2027-01-01"
    # alignment: the orphan x5 (8 h) and x6 (3 h); the misaligned x3 (6 h, on hold), x8 (5 h, draft), x4
    assert [(task["title"], task["effort"]) for task in data["orphan_tasks"]] == [("x5", 8), ("x6", 3)]
    misaligned = [(task["title"], task["reason"]) for task in data["misaligned_tasks"]]
    assert misaligned == [
        ("x3", f"initiative {example.i2.pk} is on_hold"),
        ("x8", f"objective {example.c3.pk} is draft"),
        ("x4", f"objective {example.r3.pk} is cancelled"),
    ]
    # resources: every active initiative is covered; p2 carries 30 h/week on a 10 h capacity
    assert data["least_covered_initiatives"] == []
    assert [(p["name"], p["load"], p["capacity"]) for p in data["people_over_capacity"]] == [("p2", 30, 10)]
    assert data["people_spread_thin"] == []
    # adaptability: the tracked items with no check-in in the last 14 days; the risk answered too late
    assert {(item["kind"], item["title"]) for item in data["stale_items"]} == {
        ("initiative", "i3"), ("objective", "r1"), ("objective", "c2"), ("objective", "r2"),
    }  # fmt: skip
    assert [item["id"] for item in data["unanswered_feedback"]] == [example.risk_late.pk]


def test_the_signals(example):
    # SCORING.md "Signals beyond the scores" on the worked example:
    #   i1: supply 104.76 − demand 50 = surplus 54.76 ≥ max(8, 12.5) → over-staffed; nothing of it done
    #       in the window, 50 h left → no forecast, and it ends 2027-01-30 → forecast late
    #   i3: 42.86 − 3 = 39.86 ≥ max(8, 0.75) → over-staffed; no forecast, but no end date → not late
    #   shares: c1 10/14 = 0.714 against 0.375 (+0.339) and r1 1 against 0.75 (+0.25) are over-invested;
    #   c2 4/14 = 0.286 against 0.375 and r2 0 against 0.25 are not
    initiatives = by_title(example.client.get(url(example.org, "initiatives/")).json()["results"])
    i1, i3 = initiatives["i1"], initiatives["i3"]
    assert (i1["surplus"], i3["surplus"]) == (
        pytest.approx(54.76, abs=ROUNDED),
        pytest.approx(39.86, abs=ROUNDED),
    )
    assert (i1["over_staffed"], i3["over_staffed"]) == (True, True)
    assert (i1["throughput"], i1["forecast_finish"], i1["forecast_late"]) == (0, None, True)
    assert (i3["forecast_finish"], i3["forecast_late"]) == (None, False)
    objectives = by_title(example.client.get(url(example.org, "objectives/")).json()["results"])
    assert {title for title, row in objectives.items() if row["over_invested"]} == {"r1", "c1"}


def test_the_signals_endpoint(example):
    # the same signals in one answer: i1 (54.76) and i3 (39.86) over-staffed, 94.62 h in all; c1 and r1
    # over-invested; i1 forecast late (no recent progress, ends 2027-01-30)
    body = example.client.get(f"/api/v1/orgs/{example.org.slug}/signals/").json()
    assert body["total_surplus"] == pytest.approx(94.62, abs=ROUNDED)
    counts = (body["over_staffed_count"], body["over_invested_count"], body["forecast_late_count"])
    assert counts == (2, 2, 1)
    assert [row["title"] for row in body["over_staffed"]] == ["i1", "i3"]
    assert [row["title"] for row in body["over_invested"]] == ["c1", "r1"]
    assert body["forecast_late"] == [
        {
            "id": example.i1.pk,
            "title": "i1",
            "end_date": "2027-01-30",
            "forecast_finish": None,
            "throughput": 0.0,
            "remaining": 50.0,
        }
    ]


def test_the_staffing_drift_of_the_worked_example(example):
    # nobody works on i1 or i3 through an assigned task (x1 and x6 have no assignee), so: nobody works
    # without an allocation; p1's open allocation to i1 (20 h) and p2's to i3 (10 h), made on
    # 2026-11-02, are allocations without work; p2's to i1 begins 2027-01-11, less than 14 days ago
    body = example.client.get(f"/api/v1/orgs/{example.org.slug}/signals/").json()["staffing_drift"]
    assert body == {
        "unplanned_work_count": 0,
        "people_working_without_allocation": 0,
        "total_unplanned_effort": 0,
        "unplanned_work": [],
        "idle_allocation_count": 2,
        "people_allocated_without_work": 2,
        "allocations_without_work": 2,
        "idle_allocations": [
            {
                "id": example.i1.pk, "title": "i1", "idle_people": 1, "idle_allocations": 1, "idle_hours": 20,
                "people": [{"id": example.p1.pk, "name": "p1", "hours_per_week": 20, "allocations": 1}],
            },
            {
                "id": example.i3.pk, "title": "i3", "idle_people": 1, "idle_allocations": 1, "idle_hours": 10,
                "people": [{"id": example.p2.pk, "name": "p2", "hours_per_week": 10, "allocations": 1}],
            },
        ],
    }  # fmt: skip
    initiatives = by_title(example.client.get(url(example.org, "initiatives/")).json()["results"])
    i1 = initiatives["i1"]
    assert (i1["drift_unallocated_people"], i1["unplanned_effort"], i1["drift_unallocated"]) == (0, 0, [])
    assert (i1["drift_idle_people"], i1["drift_idle_allocations"], i1["drift_idle_hours"]) == (1, 1, 20)
    assert i1["drift_idle"] == [{"id": example.p1.pk, "name": "p1", "hours_per_week": 20, "allocations": 1}]
