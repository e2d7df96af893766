"""The capacity cut line page: the ranking against the capacity in words, the line between the last
initiative that fits and the first that does not, a page of 25 at a time, and a fixed number of queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from execgap.models import Role
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory
from tests.web.conftest import ROLES, org_url, query_count

pytestmark = pytest.mark.django_db


def text_of(html: bytes) -> str:
    """The page's words: inline emphasis dropped, every other tag a space."""
    plain = re.sub(r"</?strong>", "", html.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", plain)).strip()


def ranking_ids(html: bytes) -> list[str]:
    """The rows of the ranking in order: initiative ids, and `line` where the line is drawn."""
    rows = re.findall(r'<tr (?:id="cut-line-initiative-(\d+)"|class="cut-line-row")', html.decode())
    return [row or "line" for row in rows]


def plan(organization, demands: list[int], *, capacity: int = 7, statuses: dict[int, str] | None = None):
    """People of `capacity` h a week in all (90 h over the default 90 days, at 7), and one open-ended
    initiative per demand (hours of open work), each on its own root objective, weighted so that
    they rank in the order given."""
    PersonFactory(organization=organization, weekly_capacity_hours=Decimal(capacity))
    initiatives = []
    for number, hours in enumerate(demands, 1):
        objective = ObjectiveFactory(
            organization=organization, title=f"goal {number}", priority_weight=Decimal(1000 - number)
        )
        initiative = InitiativeFactory(
            organization=organization,
            objective=objective,
            title=f"i{number}",
            status=(statuses or {}).get(number, "active"),
        )
        if hours:
            TaskFactory(organization=organization, initiative=initiative, effort_hours=Decimal(hours))
        initiatives.append(initiative)
    return initiatives


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_read_the_cut_line(client, signed_in, org, role):
    # given a member of any role, in an organization with no initiative yet
    signed_in(role, person=False)
    response = client.get(org_url("capacity_cut_line", org))
    assert response.status_code == 200
    assert "no initiative is active or proposed" in text_of(response.content)


def test_the_resources_page_links_to_it(client, signed_in, org):
    signed_in(Role.VIEWER, person=False)
    response = client.get(org_url("resources", org))
    assert f'href="{org_url("capacity_cut_line", org)}"' in response.content.decode()


def test_capacity_against_demand_in_words_and_the_line_drawn(client, signed_in, org):
    # given 90 h of capacity and five initiatives of 40 h each (the second proposed)
    initiatives = plan(org, [40, 40, 40, 40, 40], statuses={2: "proposed"})
    signed_in(Role.EXECUTIVE, person=False)
    # when the page is opened
    response = client.get(org_url("capacity_cut_line", org))
    text = text_of(response.content)
    # then it says how much does not fit
    assert (
        "Capacity for the next 90 days: 90 h; the 5 active and proposed initiatives need 200 h: "
        "the 3 lowest-priority ones do not fit."
    ) in text
    # and the line is drawn after the second initiative
    ids = [str(initiative.pk) for initiative in initiatives]
    assert ranking_ids(response.content) == [*ids[:2], "line", *ids[2:]]
    assert "Capacity runs out here: 90 h ranks 1 to 2 fit; from rank 3 on, nothing does" in text
    row = re.search(rf'<tr id="cut-line-initiative-{ids[1]}".*?</tr>', response.content.decode(), re.S)
    assert row is not None
    assert text_of(row.group(0).encode()) == "2 i2 for goal 2 Proposed 20.0% — not set 40 80 Fits"


def test_when_everything_fits(client, signed_in, org):
    plan(org, [30, 20])
    signed_in(Role.MEMBER, person=False)
    response = client.get(org_url("capacity_cut_line", org))
    text = text_of(response.content)
    assert "the 2 active and proposed initiatives need 50 h: they all fit, with 40 h to spare." in text
    assert "line" not in ranking_ids(response.content)


def test_when_nothing_fits_the_line_is_above_the_first(client, signed_in, org):
    first, second = plan(org, [100, 10])
    signed_in(Role.MEMBER, person=False)
    response = client.get(org_url("capacity_cut_line", org))
    assert "not even the highest-priority one fits." in text_of(response.content)
    assert ranking_ids(response.content) == ["line", str(first.pk), str(second.pk)]


def test_the_ranking_comes_25_at_a_time_with_a_way_to_the_line(client, signed_in, org):
    # given 30 initiatives of 3 h each, in 90 h: the first 30 fit... less one: 29 × 3 = 87, 30 × 3 = 90
    # fits too; so make each 3.5 h: 25 fit (87.5 h), the 26th does not (91 h)
    initiatives = plan(org, [0] * 30)
    for initiative in initiatives:
        TaskFactory(organization=org, initiative=initiative, effort_hours=Decimal("3.5"))
    signed_in(Role.LEAD, person=False)
    url = org_url("capacity_cut_line", org)
    # when the first page is opened: 25 initiatives, all above the line, and a link to it
    first = client.get(url)
    assert ranking_ids(first.content) == [str(initiative.pk) for initiative in initiatives[:25]]
    assert "the 5 lowest-priority ones do not fit." in text_of(first.content)
    assert f'href="{url}?ranks_page=2#cut-line-row"' in first.content.decode()
    assert "Page 1 of 2" in text_of(first.content)
    # then the second page starts with the line
    second = client.get(url, {"ranks_page": "2"})
    assert ranking_ids(second.content) == ["line", *(str(initiative.pk) for initiative in initiatives[25:])]
    assert "Go to the line" not in text_of(second.content)
    # and a page past the last answers 400 with the last page
    assert client.get(url, {"ranks_page": "9"}).status_code == 400


def test_another_organizations_initiatives_never_appear(client, signed_in, org, other_org):
    plan(other_org, [10], capacity=40)
    plan(org, [5])
    signed_in(Role.ADMIN, person=False)
    response = client.get(org_url("capacity_cut_line", org))
    assert "Capacity for the next 90 days: 90 h; the 1 active and proposed initiative needs 5 h" in text_of(
        response.content
    )
    assert len(ranking_ids(response.content)) == 1
    # and a member of acme does not find globex's page
    assert client.get(org_url("capacity_cut_line", other_org)).status_code == 404


def test_the_page_runs_as_many_queries_for_ten_times_the_initiatives(client, signed_in, org):
    signed_in(Role.EXECUTIVE, person=False)
    url = org_url("capacity_cut_line", org)
    plan(org, [10, 20, 30])
    client.get(url)  # the first visit also records the current organization
    small = query_count(client, url)
    plan(org, [5] * 27)
    large = query_count(client, url)
    # the session, the member and the scores stamp, then the cut line's one consistent read of four
    # queries (in a savepoint here, with PostgreSQL's two read settings)
    assert small == large
    assert large <= 13


def test_the_bar_and_its_legend_say_what_fits(client, signed_in, org):
    # given 90 h and 40 h × 5: 80 h fit, 120 h are below the line, 110 h more than the capacity
    plan(org, [40, 40, 40, 40, 40])
    signed_in(Role.VIEWER, person=False)
    response = client.get(org_url("capacity_cut_line", org))
    text = text_of(response.content)
    assert "Fits: 80 h" in text
    assert "Does not fit: 120 h, the 3 initiatives below the line (110 h more than the capacity)" in text
    assert 'aria-label="The hours needed, and the capacity left over: fits 80h, does not fit 120h' in (
        response.content.decode()
    )
