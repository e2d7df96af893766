"""The resources page: who may open it, the numbers it shows (worked by hand from SCORING.md's
example), who is over capacity or spread thin, off-strategy capacity, the team filter, the links to
staff an initiative, and its query count."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.cache import cache

from execgap.models import Role
from scoring.services import scores_recompute
from tests.conftest import person_of
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, PersonFactory, TeamFactory
from tests.scoring.conftest import WORKED_EXAMPLE_DATE, worked_example  # noqa: F401  (a fixture)
from tests.web.conftest import ROLES, org_url, query_count

pytestmark = pytest.mark.django_db


def text_of(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def row_of(html: bytes, element_id: str) -> str:
    match = re.search(rf'<tr id="{element_id}".*?</tr>', html.decode(), re.S)
    assert match, f"no row {element_id}"
    return text_of(match.group(0).encode())


@pytest.fixture
def scored(worked_example: SimpleNamespace) -> SimpleNamespace:  # noqa: F811
    worked_example.snapshot = scores_recompute(
        organization_id=worked_example.org.pk, as_of=WORKED_EXAMPLE_DATE
    )
    return worked_example


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_read_the_resources_page(client, signed_in, org, role):
    # given a member of any role, in an organization not scored yet
    signed_in(role)
    # when they open the page
    response = client.get(org_url("resources", org))
    # then they see it, saying the scores are not computed yet
    assert response.status_code == 200
    assert "Not computed yet" in text_of(response.content)


def test_the_score_and_its_parts_in_words(client, signed_in, scored):
    signed_in(Role.VIEWER, scored.org)
    # when the worked example's page is read
    html = client.get(org_url("resources", scored.org)).content
    text = text_of(html)
    # then: i1 needs 50 h (remaining max(10, 50 − 0) over a 30-day window that is all of it) and i3
    # 3 h; both are fully staffed (104.76 h and 42.86 h), so 53 of 53 h are covered.
    # Resources = 100 × (0.75 × coverage(r1) 1 + 0.25 × coverage(r2) 0) = 75.
    assert re.search(rb'id="resources-score-value">75\.0<', html)
    assert "53 of the 53 hours the 2 active initiatives need in their windows are staffed (100%)" in text
    # p2's load is 30 h on a 10 h capacity; nobody has more than 3 allocations
    assert "1 person is over capacity; 0 are spread thin (more than 3 allocations)" in text
    # off-strategy: p2 → i3 (no objective) 10 h × f = 10/30 → 3.33 h/week
    assert re.search(rb'id="off-strategy-value">3\.3<', html)
    # and the numbers refresh in place when a new snapshot lands
    assert b'id="resources-scores"' in html
    assert b'hx-trigger="scores-updated from:body"' in html


def test_coverage_per_initiative(client, signed_in, scored):
    signed_in(Role.VIEWER, scored.org)
    html = client.get(org_url("resources", scored.org)).content
    # then i1: 50 h needed, 20 × 30/7 + 20 × 1/3 × 20/7 = 104.76 h staffed: covered, and 54.76 h
    # beyond the need (at least max(8, 12.5)): over-staffed
    assert "i1 for c1 30 Jan 2027 50 104.8 100% 54.8 Over-staffed" in row_of(
        html, f"initiative-{scored.i1.pk}"
    )
    # and i3: 3 h needed (no end date: the window is the horizon), 10 × 1/3 × 90/7 = 42.86 h staffed,
    # 39.86 beyond (at least max(8, 0.75)): over-staffed
    assert "i3 serves no objective 31 Mar 2027 3 42.9 100% 39.9 Over-staffed" in row_of(
        html, f"initiative-{scored.i3.pk}"
    )
    # and each links to its page
    assert f'href="{org_url("initiative_detail", scored.org, pk=scored.i1.pk)}"' in html.decode()


def test_coverage_per_objective_flags_those_nobody_plans_for(client, signed_in, scored):
    signed_in(Role.VIEWER, scored.org)
    text = text_of(client.get(org_url("resources", scored.org)).content)
    # then r1 (through c1's i1) needs 50 h and has 50 h covered; c1 the same
    assert "r1 Active 1 50 50 100% Covered" in text
    assert "c1 Active 1 50 50 100% Covered" in text
    # and r2 has no active initiative (i2 is on hold): coverage 0, said in words
    assert "r2 Active 0 0 0 0% No active initiative" in text


def test_an_unstaffed_initiative_is_flagged_and_offers_staffing(client, signed_in, scored):
    # given a new active initiative i4 for r2 with a 14 h estimate, nobody allocated, scored again
    i4 = InitiativeFactory(
        organization=scored.org, title="i4", objective=scored.r2, estimate_hours=Decimal(14)
    )
    scores_recompute(organization_id=scored.org.pk, as_of=WORKED_EXAMPLE_DATE)
    signed_in(Role.EXECUTIVE, scored.org)
    # when an executive reads the page
    html = client.get(org_url("resources", scored.org)).content
    # then i4 needs 14 h (no end date: days left 90, window 90), has none: unstaffed, listed first
    assert "i4 for r2 31 Mar 2027 14 0 0% 0 Unstaffed" in row_of(html, f"initiative-{i4.pk}")
    assert re.findall(rb'<tr id="initiative-(\d+)"', html)[0] == str(i4.pk).encode()
    # and r2 is under-covered now (0 of 14 h)
    assert "r2 Active 1 14 0 0% Under-covered" in text_of(html)
    # and "Staff" opens the allocation form for i4
    back = quote(org_url("resources", scored.org), safe="/")
    staff = f'href="{org_url("allocation_create", scored.org)}?initiative={i4.pk}&amp;next={back}"'
    staff += ' aria-label="Staff i4"'
    assert staff in html.decode()


def test_an_objective_nobody_plans_for_offers_to_plan_an_initiative(client, signed_in, scored):
    # given an executive
    signed_in(Role.EXECUTIVE, scored.org)
    # when they read the page
    html = client.get(org_url("resources", scored.org)).content.decode()
    # then r2 (no active initiative) offers the initiative form for r2, and returns here afterwards
    back = quote(org_url("resources", scored.org), safe="/")
    assert (
        f'href="{org_url("initiative_create", scored.org)}?objective={scored.r2.pk}&amp;next={back}"' in html
    )
    # and neither r1 (covered) nor r3 (cancelled) does
    assert f"?objective={scored.r1.pk}&amp;" not in html
    assert f"?objective={scored.r3.pk}&amp;" not in html


@pytest.mark.parametrize(
    ("role", "may_staff"), [(Role.VIEWER, False), (Role.MEMBER, False), (Role.ADMIN, True)]
)
def test_staffing_is_offered_to_the_roles_that_may_allocate(client, signed_in, scored, role, may_staff):
    signed_in(role, scored.org)
    html = client.get(org_url("resources", scored.org)).content.decode()
    assert ('aria-label="Staff i1"' in html) is may_staff


def test_a_lead_may_staff_the_initiatives_of_their_team_only(client, signed_in, scored):
    # given i3 in team t1, and the lead of t1
    scored.i3.team = scored.t1
    scored.i3.save()
    lead = signed_in(Role.LEAD, scored.org)
    scored.t1.lead = person_of(lead)
    scored.t1.save()
    # when they read the page
    html = client.get(org_url("resources", scored.org)).content.decode()
    # then they may staff i3, not i1 (of no team)
    assert 'aria-label="Staff i3"' in html
    assert 'aria-label="Staff i1"' not in html


def test_the_load_view_says_who_is_over_capacity(client, signed_in, scored):
    signed_in(Role.VIEWER, scored.org)
    html = client.get(org_url("resources", scored.org)).content
    # then p2 (i1 20 h from 11 January, i3 10 h: 30 h on 10 h) is over capacity by 20 h, listed first
    assert re.findall(rb'<tr id="person-(\d+)"', html)[0] == str(scored.p2.pk).encode()
    p2 = row_of(html, f"person-{scored.p2.pk}")
    assert "i1 20" in p2
    assert "i3 10" in p2
    assert "30 of 10" in p2
    assert "Over capacity 20 h a week too many" in p2
    # and p1 (i1 20 h on 40 h) has 20 h free; p3 is inactive
    assert "20 of 40 OK 20 h free" in row_of(html, f"person-{scored.p1.pk}")
    assert "Inactive gives no hours" in row_of(html, f"person-{scored.p3.pk}")
    # and the bar says it in words
    assert b'aria-label="p2: 30 of 10 hours a week (300%)"' in html


def test_more_allocations_than_the_organizations_limit_is_spread_thin(client, signed_in, org):
    # given the organization's limit of 2 allocations, and a person on 3 active initiatives at 5 h
    org.spread_thin_allocations = 2
    org.save()
    busy = PersonFactory(organization=org, name="Busy")
    for _ in range(3):
        AllocationFactory(organization=org, person=busy, hours_per_week=Decimal(5))
    signed_in(Role.VIEWER)
    # when the page is read (not scored yet: today, the organization's own parameters)
    html = client.get(org_url("resources", org)).content
    # then they are spread thin (3 > 2) but within capacity (15 of 40 h)
    row = row_of(html, f"person-{busy.pk}")
    assert "15 of 40" in row
    assert "Spread thin 3 allocations" in row
    assert "Over capacity" not in row


def test_allocations_that_do_not_count_are_left_out(client, signed_in, scored):
    # given p1 also allocated to i2 (on hold) and to i1 after the planning horizon
    AllocationFactory(
        organization=scored.org, person=scored.p1, initiative=scored.i2, hours_per_week=Decimal(7)
    )
    AllocationFactory(
        organization=scored.org, person=scored.p1, initiative=scored.i1, hours_per_week=Decimal(9),
        start_date=date(2027, 6, 1),
    )  # fmt: skip
    signed_in(Role.VIEWER, scored.org)
    # then p1's load is still 20 h (D = 2027-01-01, horizon to 2027-03-31)
    row = row_of(client.get(org_url("resources", scored.org)).content, f"person-{scored.p1.pk}")
    assert "20 of 40" in row
    assert "i2" not in row


def test_off_strategy_allocations_are_listed_with_why(client, signed_in, scored):
    signed_in(Role.VIEWER, scored.org)
    text = text_of(client.get(org_url("resources", scored.org)).content)
    # then p2 → i3 counts 10 × 10/30 = 3.33 h a week, its initiative serving no objective
    assert "3.3 hours a week go to initiatives that serve no active objective, in 1 allocation" in text
    assert "p2 i3 3.33 Its initiative serves no objective." in text


def test_the_team_filter_narrows_objectives_initiatives_and_people(client, signed_in, scored):
    # given c1 and i1 of team t1
    scored.c1.team = scored.t1
    scored.c1.save()
    scored.i1.team = scored.t1
    scored.i1.save()
    signed_in(Role.VIEWER, scored.org)
    # when the page is filtered to t1
    html = client.get(org_url("resources", scored.org), {"team": scored.t1.pk}).content
    # then it shows c1, i1 and p1 (of t1) only
    assert re.findall(rb'<tr id="initiative-(\d+)"', html) == [str(scored.i1.pk).encode()]
    assert re.findall(rb'<tr id="person-(\d+)"', html) == [str(scored.p1.pk).encode()]
    assert "c1 Active 1 50 50 100% Covered" in text_of(html)
    assert "r2 Active" not in text_of(html)
    assert "Every current allocation in t1 serves an active objective." in text_of(html)


def test_another_organizations_team_in_the_filter_is_a_field_error(client, signed_in, scored, other_org):
    stranger = TeamFactory(organization=other_org, name="Their team")
    signed_in(Role.VIEWER, scored.org)
    response = client.get(org_url("resources", scored.org), {"team": stranger.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Their team" not in response.content.decode()


def _grow(org, times: int) -> None:
    """`times` × (a team with a lead, an objective, two initiatives of it and one of none, two people
    allocated to them)."""
    for _ in range(times):
        team = TeamFactory(organization=org)
        team.lead = PersonFactory(organization=org, team=team)
        team.save()
        objective = ObjectiveFactory(organization=org, team=team)
        planned = InitiativeFactory(
            organization=org, objective=objective, team=team, estimate_hours=Decimal(30)
        )
        other = InitiativeFactory(organization=org, objective=objective, estimate_hours=Decimal(10))
        loose = InitiativeFactory(organization=org, estimate_hours=Decimal(5))
        helper = PersonFactory(organization=org, team=team, weekly_capacity_hours=Decimal(8))
        for initiative in (planned, other, loose):
            AllocationFactory(organization=org, person=helper, initiative=initiative)
        AllocationFactory(organization=org, person=team.lead, initiative=planned)


@pytest.mark.parametrize("role", [Role.LEAD, Role.EXECUTIVE])
def test_the_page_runs_as_many_queries_for_three_times_the_rows(client, signed_in, org, role):
    # given a small organization, scored
    member = signed_in(role)
    TeamFactory(organization=org, name="Mine", lead=person_of(member))
    _grow(org, 3)
    scores_recompute(organization_id=org.pk, as_of=WORKED_EXAMPLE_DATE)
    client.get(org_url("resources", org))  # the first visit also records the current organization
    cache.clear()
    small = query_count(client, org_url("resources", org))  # the rankings read from the allocations
    small_again = query_count(client, org_url("resources", org))  # and kept
    # when it has three times the teams, people, goals and allocations (and a new snapshot)
    _grow(org, 6)
    scores_recompute(organization_id=org.pk, as_of=WORKED_EXAMPLE_DATE)
    cache.clear()
    large = query_count(client, org_url("resources", org))
    large_again = query_count(client, org_url("resources", org))
    # then the page runs the same number of queries, and few
    assert small == large
    assert small_again == large_again
    assert large <= 25  # (five of them the staffing drift's page: its rows, and its people listed)
    # and read again, the two rankings (and the cascade the off-strategy one reads) come from the cache
    assert large_again == large - 3


class _TableShapes(HTMLParser):
    """For each table of a page, by its class: the number of headings, and the cells of each row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, int, list[int]]] = []
        self._head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append((dict(attrs).get("class") or "", 0, []))
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and self.tables and not self._head:
            self.tables[-1][2].append(0)
        elif tag in ("th", "td") and self.tables:
            name, headings, rows = self.tables[-1]
            if self._head:
                self.tables[-1] = (name, headings + 1, rows)
            elif rows:
                rows[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._head = False


def test_every_row_of_the_coverage_tables_has_a_cell_under_each_heading(client, signed_in, scored):
    # given the worked example's resources page
    signed_in(Role.VIEWER, scored.org)
    shapes = _TableShapes()
    shapes.feed(client.get(org_url("resources", scored.org)).content.decode())
    # then the objective and initiative tables have as many cells in each row as headings (a heading
    # without its cells puts every later value under the wrong column)
    coverage = {name: (headings, rows) for name, headings, rows in shapes.tables if "coverage-" in name}
    assert len(coverage) == 2
    for name, (headings, rows) in coverage.items():
        assert rows, name
        assert set(rows) == {headings}, name
