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
