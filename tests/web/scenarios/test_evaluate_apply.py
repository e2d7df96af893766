"""Evaluate (a job the page polls), apply with a reason (409 on a conflict, with a rebase offered),
discard, and the applied scenario, read-only beside the first scores computed after it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Job, JobKind, JobState, Organization, Role
from resources.models import Allocation
from resources.services import allocation_update
from scenarios.models import Scenario, ScenarioStatus
from scoring.services import scores_recompute
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def test_evaluate_starts_the_job_and_the_page_polls_until_it_lands(
    client, signed_in, org, plan, drafted, django_capture_on_commit_callbacks
):
    # given an executive's drafted scenario (moving 1 h to the unstaffed firmware)
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive)
    # when they press Evaluate, the job not run yet
    response = client.post(org_url("scenarios_evaluate", org, pk=scenario.pk))
    job = Job.objects.get(kind=JobKind.SCENARIO_EVALUATION)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?job={job.pk}#evaluation")
    # then the page says it is evaluating and polls (htmx) its section
    polled = org_url("scenarios_evaluation", org, pk=scenario.pk) + f"?job={job.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Evaluating the scenario on the live plan" in page
    assert f'hx-get="{polled}" hx-trigger="every 1s"' in page
    # when the job runs, then the next poll answers the section, with no more polling, scores moved
    with django_capture_on_commit_callbacks(execute=True):
        client.post(org_url("scenarios_evaluate", org, pk=scenario.pk))
    done = Job.objects.filter(kind=JobKind.SCENARIO_EVALUATION).order_by("-pk").first()
    assert done.state == JobState.SUCCEEDED
    section = client.get(
        org_url("scenarios_evaluation", org, pk=scenario.pk) + f"?job={done.pk}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in section
    assert "Execution health and the four scores, baseline and scenario" in section
    assert "“Self-healing firmware” goes from 0% to" in section
    assert f'<title id="s{scenario.pk}-resources-title">Resources: baseline and scenario</title>' in section
    assert 'Self-healing firmware</a> <span class="badge badge-muted">changed here</span>' in section


def test_an_evaluation_says_when_the_plan_or_the_day_moved_since(client, signed_in, org, plan, drafted):
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive)
    earlier = timezone.now() - timedelta(days=3)
    Scenario.objects.filter(pk=scenario.pk).update(
        evaluation={"as_of": "2020-01-01", "scores": {}, "explanation": ["Nothing."]},
        evaluated_at=earlier,
        evaluated_as_of=earlier.date(),
        evaluated_plan_at=earlier,
    )
    Organization.objects.filter(pk=org.pk).update(scores_changed_at=timezone.now())
    page = client.get(org_url("scenarios_detail", org, pk=scenario.pk)).content.decode()
    assert "This evaluation may be out of date." in page
    assert "The plan changed since it was evaluated" in page
    assert f"It was computed for {earlier:%-d %b %Y}" in page


def test_apply_with_a_reason_changes_the_plan_and_the_scenario_stays_readable(
    client, signed_in, org, plan, drafted
):
    # given a drafted scenario moving 1 h of Ana's 10 h to the firmware
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive)
    # when it is applied with a reason
    response = client.post(
        org_url("scenarios_apply", org, pk=scenario.pk), {"apply-reason": "Firmware first"}
    )
    # then the plan changed, and the applied scenario opens read-only, saying when, who and why
    assert response.status_code == 302
    assert Allocation.objects.get(pk=plan.allocation.pk).hours_per_week == Decimal(9)
    scenario.refresh_from_db()
    assert (scenario.status, scenario.applied_reason) == (ScenarioStatus.APPLIED, "Firmware first")
    page = client.get(response["Location"]).content.decode()
    assert "is applied: the plan changed" in page
    assert "“Firmware first”" in page
    assert "Add the change" not in page
    assert "Apply the scenario" not in page
    assert "The scores have not been recomputed since it was applied" in page
    # when the scores are recomputed, then the first snapshot after it shows beside the prediction
    scores_recompute(organization_id=org.pk)
    page = client.get(response["Location"]).content.decode()
    assert "The first scores computed after it was applied" in page
    assert f"?since={scenario.applied_at.date().isoformat()}" in page
    # and a write to it is refused: it can no longer change
    again = client.post(org_url("scenarios_apply", org, pk=scenario.pk), {"apply-reason": "Twice"})
    assert again.status_code == 403
    assert "is applied: it can no longer change" in again.content.decode()


def test_apply_without_a_reason_is_refused_beside_the_form(client, signed_in, org, plan, drafted):
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive)
    response = client.post(org_url("scenarios_apply", org, pk=scenario.pk), {"apply-reason": "  "})
    assert response.status_code == 400
    assert "Say why the plan changes" in response.content.decode()
    assert Scenario.objects.get(pk=scenario.pk).status == ScenarioStatus.DRAFT


def test_an_empty_scenario_is_not_applied(client, signed_in, org, plan, drafted):
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive, changes=0)
    response = client.post(org_url("scenarios_apply", org, pk=scenario.pk), {"apply-reason": "Why not"})
    assert response.status_code == 400
    assert "This scenario has no changes to apply." in response.content.decode()


def test_a_conflict_answers_409_with_each_row_named_and_a_rebase_then_applies(
    client, signed_in, org, plan, drafted
):
    # given a drafted scenario, and Ana's allocation changed by someone else since
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive)
    allocation_update(actor=executive, allocation=plan.allocation, data={"hours_per_week": Decimal(12)})
    # when it is applied
    url = org_url("scenarios_apply", org, pk=scenario.pk)
    response = client.post(url, {"apply-reason": "Firmware first"})
    page = response.content.decode()
    # then it is refused (409), the conflict named, the reason kept, a rebase offered; nothing changed
    assert response.status_code == 409
    assert f"Change 1: the allocation {plan.allocation.pk} changed since this scenario was drafted" in page
    assert "Rebase on the current plan" in page
    assert "Firmware first</textarea>" in page
    assert Allocation.objects.get(pk=plan.allocation.pk).hours_per_week == Decimal(12)
    # when it is rebased, then applied again
    rebased = client.post(org_url("scenarios_rebase", org, pk=scenario.pk))
    assert rebased.status_code == 302
    assert (
        "Rebased on the current plan. Every change kept." in client.get(rebased["Location"]).content.decode()
    )
    applied = client.post(url, {"apply-reason": "Firmware first"})
    # then the move is made on the current hours
    assert applied.status_code == 302
    assert Allocation.objects.get(pk=plan.allocation.pk).hours_per_week == Decimal(11)


def test_the_editor_warns_of_a_conflict_before_apply(client, signed_in, org, plan, drafted):
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive)
    allocation_update(actor=executive, allocation=plan.allocation, data={"hours_per_week": Decimal(12)})
    page = client.get(org_url("scenarios_detail", org, pk=scenario.pk)).content.decode()
    assert "changed since it was drafted" in page
    assert "Rebase on the current plan" in page


def test_discard_keeps_the_scenario_read_only(client, signed_in, org, plan, drafted):
    executive = signed_in(Role.EXECUTIVE)
    scenario = drafted(executive)
    response = client.post(org_url("scenarios_discard", org, pk=scenario.pk))
    assert response.status_code == 302
    assert response["Location"] == org_url("scenarios", org)
    page = client.get(org_url("scenarios_detail", org, pk=scenario.pk)).content.decode()
    assert "This scenario was discarded" in page
    assert "Add the change" not in page
    assert Allocation.objects.get(pk=plan.allocation.pk).hours_per_week == Decimal(10)


def test_rebalance_drafts_an_evaluated_scenario_and_opens_it(client, signed_in, org, plan):
    # given Ana's console hours are surplus and the firmware has nobody
    signed_in(Role.LEAD)
    # when a lead presses Rebalance
    response = client.post(org_url("scenarios_rebalance", org))
    # then a scenario of hours moves is drafted, evaluated, and opens
    scenario = Scenario.objects.get()
    assert response["Location"] == org_url("scenarios_detail", org, pk=scenario.pk)
    assert scenario.changes.exists()
    assert scenario.evaluation is not None
    page = client.get(response["Location"]).content.decode()
    assert "Rebalance drafted with" in page
    assert "from “Legacy console” to “Self-healing firmware”" in page
    assert "Execution health and the four scores" in page


def test_rebalance_is_a_post(client, signed_in, org):
    signed_in(Role.LEAD)
    assert client.get(org_url("scenarios_rebalance", org)).status_code == 405


def test_a_lead_applying_changes_outside_their_teams_is_refused_and_nothing_is_written(
    client, signed_in, org, plan, drafted
):
    # given a lead's scenario moving hours of an initiative of no team of theirs
    lead = signed_in(Role.LEAD)
    scenario = drafted(lead)
    # when they apply it
    response = client.post(org_url("scenarios_apply", org, pk=scenario.pk), {"apply-reason": "Mine to move"})
    # then the plan's own rule refuses it, said on a page, and nothing changed
    assert response.status_code == 403
    assert "Nothing was applied:" in response.content.decode()
    assert Allocation.objects.get(pk=plan.allocation.pk).hours_per_week == Decimal(10)
    assert Scenario.objects.get(pk=scenario.pk).status == ScenarioStatus.DRAFT
