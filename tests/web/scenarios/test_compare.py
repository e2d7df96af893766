"""Comparing scenarios: up to three side by side (their kept evaluations), more refused with a message."""

from __future__ import annotations

import pytest

from execgap.models import Role
from scenarios.models import Scenario
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def evaluation(health: float, sentence: str) -> dict:
    pair = {"baseline": 50.0, "scenario": health, "difference": health - 50.0}
    return {
        "as_of": "2027-01-01",
        "explanation": [sentence],
        "scores": dict.fromkeys(
            ("execution_health", "alignment", "resources", "adaptability", "people"), pair
        ),
    }


def test_three_scenarios_side_by_side(client, signed_in, org, executive):
    # given three scenarios, two evaluated
    rows = [
        Scenario.objects.create(
            organization=org, name="More firmware", evaluation=evaluation(56.0, "Up six.")
        ),
        Scenario.objects.create(organization=org, name="Less console", evaluation=evaluation(47.5, "Down.")),
        Scenario.objects.create(organization=org, name="Not yet"),
    ]
    signed_in(Role.VIEWER)
    # when they are compared
    response = client.get(org_url("scenarios_compare", org), {"compare": [row.pk for row in rows]})
    page = response.content.decode()
    # then each is a column, with its scores, difference and bars, and its explanation
    assert response.status_code == 200
    assert page.index("More firmware") < page.index("Less console") < page.index("Not yet")
    assert "(+6.0)" in page
    assert "(-2.5)" in page
    assert "Up six." in page
    assert "Down." in page
    assert f'<title id="c{rows[0].pk}-execution_health-title">' in page
    assert "Not evaluated" in page


def test_more_than_three_are_refused_with_a_message(client, signed_in, org):
    rows = [Scenario.objects.create(organization=org, name=f"S{n}") for n in range(4)]
    signed_in(Role.VIEWER)
    response = client.get(org_url("scenarios_compare", org), {"compare": [row.pk for row in rows]})
    assert response.status_code == 400
    assert "You checked 4 scenarios: compare at most 3 at once" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [("", 200, "Check two or three scenarios"), ("?compare=x", 400, "is not a scenario")],
)
def test_nothing_or_garbage_to_compare_is_said(client, signed_in, org, query, status, message):
    # nothing checked yet: the page says how to choose; a damaged choice: refused, saying why
    signed_in(Role.VIEWER)
    response = client.get(org_url("scenarios_compare", org) + query)
    assert response.status_code == status
    assert message in response.content.decode()
