"""Scores recomputed and where to act; what-if scenarios drafted, changed, evaluated, applied,
rebased, discarded, and a rebalance."""

from __future__ import annotations

from tests.api.generated_client_calls.context import Call, Context


def calls(c: Context) -> list[Call]:
    ids = c.ids
    org = c.org
    row = c.row
    made_row = c.made_row
    today = c.today
    return [
        # scores and where to act, recomputed by a lead
        Call("scores_recompute_create", 202, lambda m, made: {**org, "as_of": today}, role="lead"),
        Call("capacity_cut_line_retrieve", 200, lambda m, made: {**org, "limit": 5}, role="viewer"),
        # what-if scenarios: drafted, changed, evaluated, applied; another rebased, discarded; a rebalance
        Call(
            "scenarios_create",
            201,
            lambda m, made: {**org, "body": m.ScenarioRequest(name="More Data")},
            keep="scenario",
        ),
        Call(
            "scenarios_update",
            200,
            made_row(
                "scenario",
                body=lambda m: m.ScenarioRequest(name="More data work", description="Staff the data team"),
            ),
        ),
        Call(
            "scenarios_partial_update",
            200,
            made_row("scenario", body=lambda m: m.PatchedScenarioRequest(description="Two more hours")),
        ),
        Call(
            "scenarios_changes_create",
            201,
            made_row(
                "scenario",
                body=lambda m: m.ScenarioChangeRequest(
                    kind=m.ScenarioChangeKindEnum.ALLOCATION_CHANGE,
                    target_id=ids["allocations"][0],
                    values={"hours_per_week": "22"},
                    reason="Two more hours",
                ),
            ),
        ),
        Call("scenarios_changes_list", 200, made_row("scenario"), role="viewer"),
        Call("scenarios_evaluation_create", 202, made_row("scenario"), role="lead"),
        Call("scenarios_evaluation_retrieve", 200, made_row("scenario"), role="viewer"),
        Call(
            "scenarios_apply_create",
            200,
            made_row("scenario", body=lambda m: m.ApplyRequest(reason="Agreed")),
        ),
        Call("scenarios_rebase_create", 200, row("scenarios")),
        Call("scenario_changes_destroy", 204, row("scenario-changes", 1)),
        Call("scenarios_discard_create", 200, row("scenarios", 1)),
        Call("scenarios_destroy", 204, row("scenarios", 1)),
        Call("scenarios_rebalance_create", 201, lambda m, made: org, role="lead"),
    ]
