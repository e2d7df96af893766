"""Every row the plan calls wrote, deleted again: the last links first."""

from __future__ import annotations

from tests.api.generated_client_calls.context import Call, Context


def calls(c: Context) -> list[Call]:
    org = c.org
    made_row = c.made_row
    return [
        # and every row written above deleted again, the last links first
        Call("recognitions_destroy", 204, made_row("recognition")),
        Call("feedback_destroy", 204, made_row("feedback")),
        Call("check_ins_destroy", 204, made_row("check_in")),
        Call("allocations_destroy", 204, made_row("allocation")),
        Call("tasks_destroy", 204, made_row("task")),
        Call("key_results_destroy", 204, made_row("key_result")),
        Call(
            "initiatives_destroy", 204, lambda m, made: {**org, "id": made["initiative"].id, "cascade": True}
        ),
        Call("objectives_destroy", 204, lambda m, made: {**org, "id": made["objective"].id, "cascade": True}),
        Call("people_destroy", 204, made_row("person")),
        Call("teams_destroy", 204, made_row("team")),
    ]
