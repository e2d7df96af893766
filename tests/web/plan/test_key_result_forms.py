"""Key result forms: who may use them, what a save records, what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.models import KeyResult
from tests.factories import CheckInFactory, ObjectiveFactory
from tests.web.conftest import org_url
from tests.web.plan.conftest import PLAN_MANAGERS, ROLES, last_revision

pytestmark = pytest.mark.django_db


def key_result_form(**overrides):
    data = {
        "title": "Net revenue retention",
        "unit": "%",
        "start_value": "95",
        "target_value": "110",
        "current_value": "97.5",
        "weight": "1",
        "reason": "",
    }
    return data | {key: str(value) for key, value in overrides.items()}


@pytest.mark.parametrize("role", ROLES)
def test_key_results_of_the_leads_team_objective_are_managed_by_the_plan_managers(
    client, sign_in_as, org, objective, key_result, role
):
    # given a key result of the lead's team's objective
    sign_in_as(role)
    # when each role opens its forms
    statuses = [
        client.get(org_url("key_result_create", org, objective_pk=objective.pk)).status_code,
        client.get(org_url("key_result_edit", org, pk=key_result.pk)).status_code,
        client.get(org_url("key_result_delete", org, pk=key_result.pk)).status_code,
    ]
    # then leads, executives and admins may; members and viewers may not
    assert statuses == [200 if role in PLAN_MANAGERS else 403] * 3


def test_a_lead_cannot_add_a_key_result_to_another_teams_objective(client, sign_in_as, org, their_objective):
    # given a lead
    sign_in_as(Role.LEAD)
    # when they open or post the form of another team's objective
    opened = client.get(org_url("key_result_create", org, objective_pk=their_objective.pk))
    posted = client.post(
        org_url("key_result_create", org, objective_pk=their_objective.pk), key_result_form()
    )
    # then both are refused and nothing is created
    assert (opened.status_code, posted.status_code) == (403, 403)
    assert not KeyResult.objects.for_org(org).exists()


def test_a_key_result_is_added_to_the_objective_in_the_address(client, sign_in_as, org, objective):
    # given the lead of the objective's team
    sign_in_as(Role.LEAD)
    # when they add a key result with a reason
    response = client.post(
        org_url("key_result_create", org, objective_pk=objective.pk), key_result_form(reason="Measure it")
    )
    # then it belongs to that objective, with its values and the reason in the history
    key_result = KeyResult.objects.for_org(org).get()
    assert response["Location"] == org_url("objective_detail", org, pk=objective.pk)
    assert (key_result.objective, key_result.current_value, key_result.unit) == (
        objective,
        Decimal("97.5"),
        "%",
    )
    assert last_revision(KeyResult, key_result.pk).history_change_reason == "Measure it"


def test_a_key_result_of_another_organizations_objective_is_not_found(client, sign_in_as, org, other_org):
    # given an objective of another organization
    sign_in_as(Role.ADMIN)
    elsewhere = ObjectiveFactory(organization=other_org)
    # when a key result is posted to it from this organization
    response = client.post(org_url("key_result_create", org, objective_pk=elsewhere.pk), key_result_form())
    # then it is not found and nothing is created anywhere
    assert response.status_code == 404
    assert not KeyResult.objects.exists()


def test_a_key_result_edit_saves_with_the_reason_and_a_bad_weight_changes_nothing(
    client, sign_in_as, org, key_result
):
    # given an executive
    sign_in_as(Role.EXECUTIVE)
    url = org_url("key_result_edit", org, pk=key_result.pk)
    # when they post a weight of zero, then a valid change
    refused = client.post(url, key_result_form(weight="0", expected_version=1))
    saved = client.post(url, key_result_form(current_value="101", expected_version=1, reason="Q2 actuals"))
    # then the first is refused beside the weight and the second is saved with its reason
    assert refused.status_code == 400
    assert refused.context["form"].errors["weight"] == ["Must be greater than 0."]
    assert 'value="Net revenue retention"' in refused.content.decode()
    assert saved.status_code == 302
    key_result.refresh_from_db()
    assert (key_result.current_value, key_result.version) == (Decimal(101), 2)
    assert last_revision(KeyResult, key_result.pk).history_change_reason == "Q2 actuals"


def test_deleting_a_key_result_says_what_goes_with_it(client, sign_in_as, org, objective, key_result):
    # given a key result with a check-in
    sign_in_as(Role.EXECUTIVE)
    CheckInFactory(organization=org, key_result=key_result)
    # when its deletion is confirmed with a reason
    confirm = client.get(org_url("key_result_delete", org, pk=key_result.pk))
    response = client.post(
        org_url("key_result_delete", org, pk=key_result.pk), {"expected_version": 1, "reason": "Wrong metric"}
    )
    # then the page warned about the check-in, and the key result is gone with its reason kept
    assert "1 check-in will be deleted with it." in confirm.content.decode()
    assert response["Location"] == org_url("objective_detail", org, pk=objective.pk)
    assert not KeyResult.objects.for_org(org).exists()
    assert last_revision(KeyResult, key_result.pk).history_change_reason == "Wrong metric"
