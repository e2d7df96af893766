"""The scenarios as CSV: every one the list selects, the most recently changed first, for every role
that reads them; a status that is not one refused with the list's message."""

from __future__ import annotations

import pytest

from execgap.models import Role
from scenarios.models import ScenarioStatus
from tests.factories.scenarios import ScenarioChangeFactory, ScenarioFactory
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenarios(org):
    """30 drafts (more than a page of 25), the last with two changes, and an applied one."""
    drafts = [ScenarioFactory(organization=org, name=f"Draft {number:02}") for number in range(30)]
    ScenarioChangeFactory.create_batch(2, organization=org, scenario=drafts[-1])
    ScenarioFactory(organization=org, name="Shipped", status=ScenarioStatus.APPLIED)


@pytest.mark.parametrize("role", list(Role))
def test_the_scenarios_download_is_every_one_latest_first(client, signed_in, org, scenarios, role):
    # given a member of any role (each reads the scenarios)
    signed_in(role)
    # when they download the scenarios
    rows, _ = download(client, org_url("scenarios_csv", org))
    # then every one comes, the most recently changed first, with its changes
    names = column(rows, "Scenario")
    assert len(names) == 31
    assert names[0] == "Shipped"
    assert column(rows, "Changes")[names.index("Draft 29")] == "2"


def test_the_scenarios_download_keeps_the_search_and_status(client, signed_in, org, scenarios):
    # given a lead with the list searched for "Draft 1" and filtered to drafts
    signed_in(Role.LEAD)
    # when they download it
    rows, _ = download(client, org_url("scenarios_csv", org), {"q": "Draft 1", "status": "draft"})
    # then only those come
    assert sorted(column(rows, "Scenario")) == [f"Draft {number}" for number in range(10, 20)]


def test_a_status_that_is_not_one_is_refused(client, signed_in, org, scenarios):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they ask for a status that is not one
    response = client.get(org_url("scenarios_csv", org), {"status": "lost"})
    # then the answer is 400 with the list's message
    assert response.status_code == 400
    assert "not a status of a scenario" in response.content.decode()


EVALUATION = {
    "as_of": "2030-01-01",
    "explanation": ["Resources rise."],
    "scores": {"resources": {"baseline": 50.0, "scenario": 62.5, "difference": 12.5}},
    "objectives": [
        {"id": 1, "title": "Grow", "coverage": {"baseline": 0.5, "scenario": 0.75, "difference": 0.25}}
    ],
    "initiatives": [{"id": 2, "title": "Wizard", "forecast_late": {"baseline": True, "scenario": False}}],
    "people": {"over_capacity": {"baseline": 2, "scenario": 1, "difference": -1}},
    "signals": {"total_surplus": {"baseline": 10.0, "scenario": 4.0, "difference": -6.0}},
    "off_strategy_capacity": {"baseline": 8.0, "scenario": 0.0, "difference": -8.0},
}


def test_an_evaluation_downloads_every_measure_baseline_against_scenario(client, signed_in, org):
    # given an evaluated scenario and a viewer
    scenario = ScenarioFactory(organization=org, name="More firmware", evaluation=EVALUATION)
    signed_in(Role.VIEWER)
    # when they download its evaluation
    rows, response = download(client, org_url("scenarios_evaluation_csv", org, pk=scenario.pk))
    # then each measure is a row with its numbers as stored
    by_item = {(row[0], row[1], row[2]): row[3:] for row in rows[1:]}
    assert by_item[("Score", "Resources", "Points of 100")] == ["50.0", "62.5", "12.5"]
    assert by_item[("Score", "Alignment", "Points of 100")] == ["", "", ""]
    assert by_item[("Objective", "Grow", "Coverage")] == ["0.5", "0.75", "0.25"]
    assert by_item[("Initiative", "Wizard", "Forecast late")] == ["yes", "no", ""]
    assert by_item[("People", "Over capacity", "People")] == ["2", "1", "-1"]
    assert by_item[("Capacity", "Off-strategy capacity", "Hours per week")] == ["8.0", "0.0", "-8.0"]
    assert "acme-more-firmware-evaluation-" in response["Content-Disposition"]
    # and the scenario's page links it
    html = client.get(org_url("scenarios_detail", org, pk=scenario.pk)).content.decode()
    assert "Download this evaluation as CSV" in html


def test_a_scenario_not_evaluated_has_nothing_to_download(client, signed_in, org, other_org):
    # given a draft never evaluated, and another organization's evaluated scenario
    draft = ScenarioFactory(organization=org)
    elsewhere = ScenarioFactory(organization=other_org, evaluation=EVALUATION)
    signed_in(Role.VIEWER)
    # when their evaluations are asked for
    not_evaluated = client.get(org_url("scenarios_evaluation_csv", org, pk=draft.pk))
    not_found = client.get(org_url("scenarios_evaluation_csv", org, pk=elsewhere.pk))
    # then the first says why (400), the other does not exist here
    assert not_evaluated.status_code == 400
    assert "not evaluated yet" in not_evaluated.content.decode()
    assert not_found.status_code == 404
