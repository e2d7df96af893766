"""Signing in, tokens, organizations and memberships; then every kind of row and every score
read by a viewer."""

from __future__ import annotations

from tests.api.generated_client_calls.context import Call, Context, no_arguments


def calls(c: Context) -> list[Call]:
    org = c.org
    row = c.row
    made_row = c.made_row
    rows = c.rows
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
        Call("tokens_list", 200, no_arguments),
        Call(
            "tokens_create",
            201,
            lambda m, made: {"body": m.TokenCreateRequest(name="ci", expires_in_days=1)},
            keep="token",
        ),
        Call("tokens_destroy", 204, lambda m, made: {"token_key": made["token"].token_key}),
        Call("orgs_list", 200, no_arguments, role="viewer"),
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
        *_reads(c),
    ]


def _reads(c: Context) -> list[Call]:
    """Reading every kind of row and every score, as a viewer."""
    org, row = c.org, c.row
    return [
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
