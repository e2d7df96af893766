"""A team's workspace stays a page whatever the size of the team: its initiatives ten at a time, each
with its first allocations, and the people of its header capped."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def test_the_staffing_section_shows_a_page_of_initiatives_each_with_its_first_allocations(
    client, signed_in, org, team_setup
):
    # given a team of 12 initiatives (B to M; A, done, sorts last), the first one staffed by 13 people
    # of 2 h a week each
    setup = team_setup(tasks=0)
    initiatives = [
        InitiativeFactory(organization=org, team=setup.team, title=f"Initiative {letter}")
        for letter in "BCDEFGHIJKLM"
    ]
    InitiativeFactory(organization=org, team=setup.team, title="Initiative A", status="done")
    for n in range(13):
        person = PersonFactory(organization=org, team=setup.team, name=f"Person {n:02}")
        AllocationFactory(
            organization=org, initiative=initiatives[0], person=person, hours_per_week=Decimal(2)
        )
    signed_in(Role.VIEWER)
    url = org_url("team_workspace", org, pk=setup.team.pk)
    # when the workspace is read
    page = client.get(url).content.decode()
    html = _staffing_section(page)
    # then it shows the first 10 open initiatives and a way to the next page
    assert "Initiative B" in html
    assert "Initiative K" in html
    assert "Initiative L" not in html
    assert "Initiative A<" not in html
    assert "initiatives_page=2" in html
    # and the staffed one lists 10 of its 13 people, with the total of all 13 (26 h) and a link to them all
    assert "Person 09" in html
    assert "Person 10" not in html
    assert "Total of 13 people" in html
    assert ">26<" in html
    assert "All 13 people allocated to Initiative B" in html
    # and the header names 12 of the team's 15 active people and says how many more
    assert "15 people:" in page
    assert "and 3 more" in page
    # when the second page is read, then the rest follow, the done one last
    second = _staffing_section(client.get(url, {"initiatives_page": "2"}).content.decode())
    assert "Initiative L" in second
    assert "Initiative M" in second
    assert "Initiative A<" in second
    assert "Initiative B<" not in second


def test_a_staffing_page_that_is_not_a_number_answers_400_with_the_first_page(
    client, signed_in, org, team_setup
):
    # given a team with an initiative
    setup = team_setup(tasks=0)
    InitiativeFactory(organization=org, team=setup.team, title="Initiative B")
    signed_in(Role.VIEWER)
    # when a damaged link asks for page "two"
    response = client.get(org_url("team_workspace", org, pk=setup.team.pk), {"initiatives_page": "two"})
    # then the first page shows, with the reason
    assert response.status_code == 400
    assert "is not a page number" in response.content.decode()
    assert "Initiative B" in response.content.decode()


def _staffing_section(html: str) -> str:
    start = html.index('<section id="team-staffing"')
    return html[start : html.index("</section>", start)]
