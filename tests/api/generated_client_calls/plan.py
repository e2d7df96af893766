"""The plan, written by an admin: each kind created, replaced, changed; tasks imported."""

from __future__ import annotations

import io
from datetime import timedelta

from tests.api.generated_client_calls.context import JIRA_CSV, Call, Context


def calls(c: Context) -> list[Call]:
    ids = c.ids
    org = c.org
    made_row = c.made_row
    today = c.today
    root = c.root
    return [
        # the plan, written by an admin: each kind created, replaced, changed, then deleted
        Call(
            "teams_create",
            201,
            lambda m, made: {**org, "body": m.TeamRequest(name="Data", parent=ids["teams"][0])},
            keep="team",
        ),
        Call("teams_update", 200, made_row("team", body=lambda m: m.TeamRequest(name="Data platform"))),
        Call(
            "teams_partial_update",
            200,
            made_row("team", body=lambda m: m.PatchedTeamRequest(name="Data & ML")),
        ),
        Call(
            "people_create",
            201,
            lambda m, made: {
                **org,
                "body": m.PersonRequest(name="Pat Doe", team=made["team"].id, weekly_capacity_hours="32"),
            },
            keep="person",
        ),
        Call("people_update", 200, made_row("person", body=lambda m: m.PersonRequest(name="Pat Q. Doe"))),
        Call(
            "people_partial_update",
            200,
            made_row("person", body=lambda m: m.PatchedPersonRequest(weekly_capacity_hours="36")),
        ),
        Call(
            "objectives_create",
            201,
            lambda m, made: {
                **org,
                "body": m.ObjectiveRequest(
                    title="Enter Germany",
                    parent=root,
                    status=m.ObjectiveStatusEnum.ACTIVE,
                    reason="Board ask",
                ),
            },
            keep="objective",
        ),
        Call(
            "objectives_update",
            200,
            made_row(
                "objective", body=lambda m: m.ObjectiveRequest(title="Enter Germany and Austria", parent=root)
            ),
        ),
        Call(
            "objectives_partial_update",
            200,
            made_row("objective", body=lambda m: m.PatchedObjectiveRequest(priority_weight="2")),
        ),
        Call(
            "key_results_create",
            201,
            lambda m, made: {
                **org,
                "body": m.KeyResultRequest(
                    objective=made["objective"].id, title="German customers", target_value="40"
                ),
            },
            keep="key_result",
        ),
        Call(
            "key_results_update",
            200,
            made_row(
                "key_result",
                body=lambda m: m.KeyResultRequest(objective=root, title="DACH customers", target_value="50"),
            ),
        ),
        Call(
            "key_results_partial_update",
            200,
            made_row("key_result", body=lambda m: m.PatchedKeyResultRequest(current_value="5")),
        ),
        Call(
            "initiatives_create",
            201,
            lambda m, made: {
                **org,
                "body": m.InitiativeRequest(
                    title="German localisation",
                    objective=made["objective"].id,
                    status=m.InitiativeStatusEnum.ACTIVE,
                    estimate_hours="120",
                    start_date=today,
                    end_date=today + timedelta(days=60),
                ),
            },
            keep="initiative",
        ),
        Call(
            "initiatives_update",
            200,
            made_row(
                "initiative", body=lambda m: m.InitiativeRequest(title="German localisation", objective=root)
            ),
        ),
        Call(
            "initiatives_partial_update",
            200,
            made_row("initiative", body=lambda m: m.PatchedInitiativeRequest(estimate_hours="100")),
        ),
        Call(
            "tasks_create",
            201,
            lambda m, made: {
                **org,
                "body": m.TaskRequest(
                    title="Translate the pricing page", effort_hours="6", external_key="DE-1"
                ),
            },
            keep="task",
        ),
        Call("tasks_update", 200, made_row("task", body=lambda m: m.TaskRequest(title="Translate pricing"))),
        Call(
            "tasks_partial_update",
            200,
            made_row("task", body=lambda m: m.PatchedTaskRequest(status=m.TaskStatusEnum.IN_PROGRESS)),
        ),
        Call(
            "tasks_link_create",
            200,
            lambda m, made: {
                **org,
                "body": m.TaskLinkRequest(tasks=[made["task"].id], initiative=made["initiative"].id),
            },
        ),
        Call(
            "allocations_create",
            201,
            lambda m, made: {
                **org,
                "body": m.AllocationRequest(
                    person=made["person"].id, initiative=made["initiative"].id, hours_per_week="8"
                ),
            },
            keep="allocation",
        ),
        Call(
            "allocations_update",
            200,
            made_row(
                "allocation",
                body=lambda m: m.AllocationRequest(
                    person=ids["people"][0], initiative=ids["initiatives"][1], hours_per_week="10"
                ),
            ),
        ),
        Call(
            "allocations_partial_update",
            200,
            made_row("allocation", body=lambda m: m.PatchedAllocationRequest(hours_per_week="12")),
        ),
        Call(
            "check_ins_create",
            201,
            lambda m, made: {
                **org,
                "body": m.CheckInRequest(initiative=made["initiative"].id, value="20", note="Started"),
            },
            keep="check_in",
        ),
        Call(
            "check_ins_update",
            200,
            made_row(
                "check_in", body=lambda m: m.CheckInRequest(objective=root, initiative=None, value="25")
            ),
        ),
        Call(
            "check_ins_partial_update",
            200,
            made_row("check_in", body=lambda m: m.PatchedCheckInRequest(note="On track")),
        ),
        Call(
            "feedback_create",
            201,
            lambda m, made: {
                **org,
                "body": m.FeedbackRequest(
                    kind=m.FeedbackKindEnum.RISK,
                    text="Translators are booked",
                    initiative=made["initiative"].id,
                ),
            },
            keep="feedback",
        ),
        Call(
            "feedback_update",
            200,
            made_row(
                "feedback",
                body=lambda m: m.FeedbackRequest(
                    kind=m.FeedbackKindEnum.RISK, text="Translators are booked until May"
                ),
            ),
        ),
        Call(
            "feedback_partial_update",
            200,
            made_row(
                "feedback", body=lambda m: m.PatchedFeedbackRequest(text="Translators are booked until June")
            ),
        ),
        Call(
            "feedback_acknowledge_create", 200, made_row("feedback", body=lambda m: m.FeedbackAnswerRequest())
        ),
        Call(
            "feedback_respond_create",
            200,
            made_row("feedback", body=lambda m: m.FeedbackResponseRequest(response="Booked an agency")),
        ),
        Call(
            "feedback_resolve_create",
            200,
            made_row("feedback", body=lambda m: m.FeedbackAnswerRequest(response="Agency started")),
        ),
        Call(
            "recognitions_create",
            201,
            lambda m, made: {
                **org,
                "body": m.RecognitionRequest(to_person=made["person"].id, message="Thanks for the glossary"),
            },
            keep="recognition",
        ),
        Call(
            "tasks_import",
            200,
            lambda m, made: {
                **org,
                "body": m.TaskImportJsonRequest(
                    tasks=[m.TaskImportRowRequest(external_key="DE-2", title="Translate the docs")]
                ),
            },
        ),
        Call(
            "tasks_import",
            200,
            lambda m, made: {
                **org,
                "body": m.TaskImportUploadRequest(
                    file=made["File"](
                        payload=io.BytesIO(JIRA_CSV), file_name="export.csv", mime_type="text/csv"
                    )
                ),
            },
        ),
    ]
