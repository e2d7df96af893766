"""Every operation of the API as the generated client calls it (`tests/api/test_generated_client.py`):
in an order where each finds the rows it needs, each with the role that may do it and the status its
schema documents for success."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tests.api.organization_rows import OrganizationRows

SLUG = "acme"
JIRA_CSV = b"Issue key,Summary,Status\nDE-3,Translate the app,To Do\n"


@dataclass(frozen=True)
class Call:
    """One operation called: by `role`'s token, with the arguments `arguments(m, made)` builds from the
    generated models `m` and what earlier calls made; `keep` names its answer for later calls."""

    operation: str
    status: int
    arguments: Callable[[Any, dict[str, Any]], dict[str, Any]]
    role: str = "admin"
    keep: str | None = None


def _none(m: Any, made: dict[str, Any]) -> dict[str, Any]:
    return {}


def calls(rows: OrganizationRows, today: date) -> list[Call]:
    """Every operation of the API, in an order where each finds what it needs."""
    ids = rows.ids
    root = ids["objectives"][0]
    org = {"org": SLUG}

    def row(collection: str, index: int = 0) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
        return lambda m, made: {**org, "id": ids[collection][index]}

    def made_row(name: str, **more: Callable[[Any], Any]) -> Callable[[Any, dict[str, Any]], dict[str, Any]]:
        return lambda m, made: {**org, "id": made[name].id, **{key: build(m) for key, build in more.items()}}

    reads = [
        Call(f"{name}_list", 200, lambda m, made: org, role="viewer")
        for name in (
            "teams", "people", "objectives", "key_results", "initiatives", "tasks", "allocations",
            "check_ins", "feedback", "recognitions", "jobs", "scenarios", "scores_objectives",
            "scores_initiatives", "scores_teams", "scores_history", "alert_rules", "alerts",
        )
    ] + [
        Call(f"{name}_retrieve", 200, row(collection), role="viewer")
        for name, collection in (
            ("teams", "teams"), ("people", "people"), ("objectives", "objectives"),
            ("key_results", "key-results"), ("initiatives", "initiatives"), ("tasks", "tasks"),
            ("allocations", "allocations"), ("check_ins", "check-ins"), ("feedback", "feedback"),
            ("recognitions", "recognitions"), ("jobs", "jobs"), ("scenarios", "scenarios"),
            ("alert_rules", "alert-rules"), ("alerts", "alerts"),
        )
    ] + [
        Call(name, 200, lambda m, made: org, role="viewer")
        for name in ("scores_retrieve", "scores_drivers_retrieve", "signals_retrieve", "orgs_retrieve")
    ]  # fmt: skip
    return [
        # signing in, tokens, organizations and memberships
        Call(
            "auth_token_create",
            201,
            lambda m, made: {
                "body": m.TokenObtainRequest(
                    username=rows.admin.user.username, password="a-long-test-password"
                ),
            },
        ),
        Call("tokens_list", 200, _none),
        Call(
            "tokens_create",
            201,
            lambda m, made: {"body": m.TokenCreateRequest(name="ci", expires_in_days=1)},
            keep="token",
        ),
        Call("tokens_destroy", 204, lambda m, made: {"token_key": made["token"].token_key}),
        Call("orgs_list", 200, _none, role="viewer"),
        Call(
            "orgs_create",
            201,
            lambda m, made: {"body": m.OrganizationCreateRequest(slug="globex", name="Globex")},
        ),
        Call(
            "orgs_partial_update",
            200,
            lambda m, made: {
                **org,
                "body": m.PatchedOrganizationRequest(checkin_cadence_days=21),
            },
        ),
        Call("memberships_list", 200, lambda m, made: org),
        Call("memberships_retrieve", 200, row("memberships")),
        Call(
            "memberships_create",
            201,
            lambda m, made: {
                **org,
                "body": m.MembershipCreateRequest(username=made["newcomer"], role=m.RoleEnum.VIEWER),
            },
            keep="membership",
        ),
        Call(
            "memberships_partial_update",
            200,
            made_row("membership", body=lambda m: m.PatchedMembershipUpdateRequest(role=m.RoleEnum.MEMBER)),
        ),
        Call("memberships_destroy", 204, made_row("membership")),
        # reading every kind of row and every score, as a viewer
        *reads,
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
        # alert rules: a lead adds one for their team; an admin changes and deletes it
        Call(
            "alert_rules_create",
            201,
            lambda m, made: {
                **org,
                "body": m.AlertRuleRequest(
                    name="Pricing late", kind=m.AlertRuleKindEnum.FORECAST_LATE, team=ids["teams"][1]
                ),
            },
            role="lead",
            keep="alert_rule",
        ),
        Call(
            "alert_rules_update",
            200,
            made_row(
                "alert_rule",
                body=lambda m: m.AlertRuleRequest(
                    name="Coverage under 40% within a week of start",
                    kind=m.AlertRuleKindEnum.UNDERSTAFFED_START,
                    threshold=40.0,
                    days=7,
                ),
            ),
        ),
        Call(
            "alert_rules_partial_update",
            200,
            made_row("alert_rule", body=lambda m: m.PatchedAlertRuleRequest(enabled=False)),
        ),
        Call("alert_rules_destroy", 204, made_row("alert_rule")),
        # notifications: the admin's own, and their preferences
        Call("notifications_list", 200, lambda m, made: org),
        Call("notifications_retrieve", 200, row("notifications")),
        Call(
            "notifications_partial_update",
            200,
            lambda m, made: {
                **org,
                "id": ids["notifications"][0],
                "body": m.PatchedNotificationRequest(read=True),
            },
        ),
        Call("notifications_mark_all_read_create", 200, lambda m, made: org),
        Call("notification_preferences_list", 200, lambda m, made: org, role="viewer"),
        Call(
            "notification_preferences_partial_update",
            200,
            lambda m, made: {
                **org,
                "kind": "recognition",
                "body": m.PatchedNotificationPreferenceRequest(channel=m.NotificationChannelEnum.EMAIL),
            },
            role="viewer",
        ),
        # a webhook endpoint (a public address: nothing listens there), tried, rotated, redelivered
        Call(
            "webhooks_create",
            201,
            lambda m, made: {
                **org,
                "body": m.WebhookEndpointRequest(
                    url="http://93.184.215.14/execgap",
                    description="Ops",
                    kinds=[m.WebhookKindEnum.FEEDBACK_RAISED],
                    format_=m.WebhookFormatEnum.JSON,
                ),
            },
            keep="webhook",
        ),
        Call("webhooks_list", 200, lambda m, made: org),
        Call("webhooks_retrieve", 200, made_row("webhook")),
        Call(
            "webhooks_update",
            200,
            made_row(
                "webhook",
                body=lambda m: m.WebhookEndpointRequest(
                    url="http://93.184.215.14/execgap/v2", kinds=[], format_=m.WebhookFormatEnum.SLACK
                ),
            ),
        ),
        Call(
            "webhooks_partial_update",
            200,
            made_row("webhook", body=lambda m: m.PatchedWebhookEndpointRequest(description="Ops channel")),
        ),
        Call("webhooks_rotate_secret_create", 200, made_row("webhook")),
        Call("webhooks_test_create", 202, made_row("webhook"), keep="delivery"),
        Call("webhooks_deliveries_list", 200, made_row("webhook")),
        Call("webhook_deliveries_retrieve", 200, made_row("delivery")),
        Call("webhook_deliveries_redeliver_create", 202, made_row("delivery")),
        Call("webhooks_disable_create", 200, made_row("webhook")),
        Call("webhooks_enable_create", 200, made_row("webhook")),
        Call("webhooks_destroy", 204, made_row("webhook")),
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
