"""The resources page never draws the whole organization: the people who matter first as a heatmap of
a page of them, over capacity then spread thin then unallocated; the objectives, initiatives and
off-strategy allocations a page at a time; the initiatives filtered by objective; and the rankings
kept only while nothing they read has changed."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from execgap.models import Role
from resources.services import allocation_create
from scoring.services import scores_recompute
from scoring.web.capacity.ranked import OFF_STRATEGY_PER_PAGE, PEOPLE_PER_PAGE
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, PersonFactory
from tests.scoring.conftest import WORKED_EXAMPLE_DATE, worked_example  # noqa: F401  (a fixture)
from tests.web.conftest import org_url
from tests.web.paging import follow, pager_links, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_rankings():
    """Each test starts with nothing kept (the test database reuses ids from one test to the next)."""
    cache.clear()


def text_of(html: bytes | str) -> str:
    page = html if isinstance(html, str) else html.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def people_rows(html: bytes) -> list[str]:
    """The names of the people in the load table, in its order."""
    return re.findall(r'<tr id="person-\d+">\s*<th scope="row">([^<]+)', html.decode())


@pytest.fixture
def crowd(org):
    """Seven people whose loads put each in one group (D is today, the default parameters: more than
    3 counted allocations is spread thin)."""
    c = SimpleNamespace()
    goal = ObjectiveFactory(organization=org, title="Goal")

    def initiative(title):
        return InitiativeFactory(organization=org, title=title, objective=goal)

    def person(name, capacity, hours, **extra):
        someone = PersonFactory(organization=org, name=name, weekly_capacity_hours=Decimal(capacity), **extra)
        for n, amount in enumerate(hours):
            AllocationFactory(
                organization=org,
                person=someone,
                initiative=initiative(f"{name} work {n}"),
                hours_per_week=Decimal(amount),
            )
        return someone

    c.busy = person("Busy", 40, [20])  # 20 of 40: fine
    c.gone = person("Gone", 40, [], active=False)  # inactive, nothing allocated: not to staff
    c.idle = person("Idle", 40, [])  # active, nothing allocated
    c.thin4 = person("Thin four", 40, [2, 2, 2, 2])  # 4 allocations > 3
    c.thin5 = person("Thin five", 40, [2, 2, 2, 2, 2])  # 5 allocations
    c.over5 = person("Over by five", 40, [45])  # 45 of 40
    c.over20 = person("Over by twenty", 10, [15, 15])  # 30 of 10
    return c


def test_the_people_who_matter_come_first(client, signed_in, org, crowd):
    signed_in(Role.EXECUTIVE, person=False)
    html = client.get(org_url("resources", org)).content
    # then over capacity (the most over first), spread thin (the most allocations first), the
    # active people with nothing allocated, then everyone else by name
    assert people_rows(html) == [
        "Over by twenty",
        "Over by five",
        "Thin five",
        "Thin four",
        "Idle",
        "Busy",
        "Gone",
    ]
    # and the page says how many of each there are, and that they come first
    assert (
        "Of 7 people: 2 over capacity, 2 spread thin, 1 without any current allocation. "
        "Those come first, in this order." in text_of(html)
    )
    # and an active person with nothing allocated is said to be unallocated, with their free hours
    assert "Unallocated 40 h free" in text_of(
        re.search(rb'<tr id="person-%d".*?</tr>' % crowd.idle.pk, html, re.S).group(0)
    )


def test_the_heatmap_draws_the_page_of_people_by_their_initiatives(client, signed_in, org, crowd):
    signed_in(Role.EXECUTIVE, person=False)
    html = client.get(org_url("resources", org)).content.decode()
    chart = re.search(r'<svg class="chart heatmap".*?</svg>', html, re.S)
    assert chart, "no heatmap"
    svg = chart.group(0)
    # the chart says what it shows in words, and where the numbers are
    assert 'role="img"' in svg
    assert (
        'aria-label="Load of 7 people on 13 initiatives (2 over capacity): each cell is a person&#x27;s'
        " hours a week on an initiative, darker the larger its share of their week. The numbers are in"
        ' the table below."' in svg
    )
    # a row per person, in the table's order; the 8 largest initiatives one by one, the other 5 together
    assert re.findall(r'<text class="heat-name"[^>]*>([^<]+)</text>', svg)[:2] == [
        "Over by twenty",
        "Over by five",
    ]
    # each column headed by its key and its title, slanting up
    heads = re.findall(r'<tspan class="heat-head-key">([^<]+)</tspan> ([^<]+)</text>', svg)
    assert [key for key, _ in heads] == [*"12345678", "+"]
    assert heads[0] == ("1", "Over by five work 0")
    assert heads[-1] == ("+", "5 others")
    assert '<text class="heat-head heat-head-load"' in svg
    legend = text_of(re.search(r'<ol class="heat-columns">.*?</ol>', html, re.S).group(0))
    assert legend.startswith(
        " 1 Over by five work 0 45 h/week 2 Busy work 0 20 h/week 3 Over by twenty work 0 15 h/week"
    )
    assert "8 Thin five work 3 2 h/week + 5 other initiatives 10 h/week" in legend
    # each row ends with its load against its capacity, marked when over
    assert '<text class="heat-total heat-alert" x="' in svg
    assert ">30/10 h</text>" in svg
    # and 45 of Over by five's 40 hours is more than half their week: the darkest cell
    assert re.search(
        r'<rect class="heat heat-4" [^>]*><title>Over by five on Over by five work 0: 45 of 40</title></rect>'
        r'<text class="heat-value heat-value-dark"[^>]*>45</text>',
        svg,
    )


def test_the_people_come_a_page_at_a_time(client, signed_in, org):
    # given 30 people with nothing allocated and one over capacity
    for n in range(30):
        PersonFactory(organization=org, name=f"Person {n:02d}")
    over = PersonFactory(organization=org, name="Zed", weekly_capacity_hours=Decimal(5))
    AllocationFactory(organization=org, person=over, hours_per_week=Decimal(6))
    signed_in(Role.VIEWER, person=False)
    first = client.get(org_url("resources", org))
    # then the first page holds 25, the one over capacity first although last by name
    names = people_rows(first.content)
    assert len(names) == PEOPLE_PER_PAGE
    assert names[0] == "Zed"
    assert "Page 1 of 2" in text_of(first.content)
    # and the next page holds the other six, in the same order
    second = follow(client, first, "Pages of people", "Next page")
    assert people_rows(second.content) == [f"Person {n:02d}" for n in range(24, 30)]
    assert "Previous page" in pager_links(second, "Pages of people")
    # and every person is on one page or the other
    pages = walk(client, first, "Pages of people")
    assert sum(len(people_rows(page.content)) for page in pages) == 31


@pytest.mark.parametrize(
    ("page", "message", "shown"),
    [
        ("9", "There is no page 9: page 2 is the last.", "Person 29"),
        ("two", "“two” is not a page number, so the list starts again from its first page.", "Person 00"),
    ],
)
def test_a_page_of_people_that_is_not_there_says_so(client, signed_in, org, page, message, shown):
    for n in range(30):
        PersonFactory(organization=org, name=f"Person {n:02d}")
    signed_in(Role.VIEWER, person=False)
    response = client.get(org_url("resources", org), {"people_page": page})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert shown in people_rows(response.content)


def test_a_change_to_an_allocation_shows_at_once(client, signed_in, org, member_of, crowd):
    # given the page read once (its rankings kept) while the scores are current
    scores_recompute(organization_id=org.pk)
    signed_in(Role.VIEWER, person=False)
    assert people_rows(client.get(org_url("resources", org)).content)[4] == "Idle"
    # when Idle is given 50 hours through the service, before any recompute
    allocation_create(
        actor=member_of(Role.ADMIN, person=False),
        data={
            "person": crowd.idle,
            "initiative": InitiativeFactory(organization=org),
            "hours_per_week": Decimal(50),
        },
    )
    # then the page ranks Idle over capacity already (by 10 h: after Over by twenty, before Over by
    # five): the kept ranking is not used
    assert people_rows(client.get(org_url("resources", org)).content)[:3] == [
        "Over by twenty",
        "Idle",
        "Over by five",
    ]


def test_the_initiatives_of_one_objective(client, signed_in, worked_example):  # noqa: F811
    w = worked_example
    scores_recompute(organization_id=w.org.pk, as_of=WORKED_EXAMPLE_DATE)
    signed_in(Role.VIEWER, w.org)
    # when the initiatives are filtered to r1 (and the objectives below it)
    html = client.get(org_url("resources", w.org), {"objective": w.r1.pk}).content
    # then i1 (of c1, below r1) is there and i3 (of no objective) is not
    assert re.findall(rb'<tr id="initiative-(\d+)"', html) == [str(w.i1.pk).encode()]
    assert "The initiatives of r1 and the objectives below it. Show every initiative" in text_of(html)
    # and r2's active initiatives are none (i2 is on hold)
    html = client.get(org_url("resources", w.org), {"objective": w.r2.pk}).content
    assert "No active initiative below r2:" in text_of(html)
    # and the coverage by objective links each objective with active initiatives to its own
    assert (
        f'href="?objective={w.r1.pk}#initiatives-heading"'
        in client.get(org_url("resources", w.org)).content.decode()
    )


def test_an_objective_of_another_organization_is_refused(client, signed_in, worked_example, other_org):  # noqa: F811
    w = worked_example
    scores_recompute(organization_id=w.org.pk, as_of=WORKED_EXAMPLE_DATE)
    theirs = ObjectiveFactory(organization=other_org, title="Their objective")
    signed_in(Role.VIEWER, w.org)
    response = client.get(org_url("resources", w.org), {"objective": theirs.pk})
    assert response.status_code == 400
    html = response.content
    assert "There is no such objective in this organization." in html.decode()
    assert "Their objective" not in html.decode()
    # and the initiatives show unfiltered
    assert len(re.findall(rb'<tr id="initiative-(\d+)"', html)) == 2


def test_the_initiatives_come_worst_first_a_page_at_a_time(client, signed_in, org):
    # given 30 active initiatives needing 10 to 39 hours, none staffed
    for n in range(30):
        InitiativeFactory(organization=org, title=f"Work {n:02d}", estimate_hours=Decimal(10 + n))
    scores_recompute(organization_id=org.pk)
    signed_in(Role.VIEWER, person=False)
    first = client.get(org_url("resources", org))
    # then all uncovered, the largest shortfall first: Work 29 (39 h needed) leads
    ids = re.findall(rb'<tr id="initiative-(\d+)"', first.content)
    assert len(ids) == 25
    titles = re.findall(
        r'<tr id="initiative-\d+">\s*<th scope="row">\s*<a [^>]+>([^<]+)</a>', first.content.decode()
    )
    assert titles[:3] == ["Work 29", "Work 28", "Work 27"]
    # and the next page holds the five smallest
    second = follow(client, first, "Pages of initiatives", "Next page")
    titles = re.findall(
        r'<tr id="initiative-\d+">\s*<th scope="row">\s*<a [^>]+>([^<]+)</a>', second.content.decode()
    )
    assert titles == ["Work 04", "Work 03", "Work 02", "Work 01", "Work 00"]


def test_the_objectives_come_a_page_at_a_time_in_tree_order(client, signed_in, org):
    # given 20 boardroom objectives with a child each: 40 rows
    for n in range(20):
        root = ObjectiveFactory(organization=org, title=f"Root {n:02d}")
        ObjectiveFactory(organization=org, title=f"Child {n:02d}", parent=root)
    scores_recompute(organization_id=org.pk)
    signed_in(Role.VIEWER, person=False)
    first = client.get(org_url("resources", org))
    rows = re.findall(r'class="depth-(\d)">\s*<a [^>]+>([^<]+)</a>', first.content.decode())
    # then each root is followed by its child, a page of 25 rows
    assert rows[:4] == [("0", "Root 00"), ("1", "Child 00"), ("0", "Root 01"), ("1", "Child 01")]
    assert len(rows) == 25
    second = follow(client, first, "Pages of objectives", "Next page")
    rows = re.findall(r'class="depth-(\d)">\s*<a [^>]+>([^<]+)</a>', second.content.decode())
    assert rows[0] == ("1", "Child 12")
    assert len(rows) == 15


def test_the_off_strategy_allocations_are_summed_and_the_largest_listed_a_page_at_a_time(
    client, signed_in, org
):
    # given 12 people each on an initiative of no objective, 1 to 12 hours a week (within capacity)
    loose = InitiativeFactory(organization=org, title="Loose")
    for n in range(1, 13):
        AllocationFactory(
            organization=org,
            person=PersonFactory(organization=org, name=f"P{n:02d}"),
            initiative=loose,
            hours_per_week=Decimal(n),
        )
    signed_in(Role.VIEWER, person=False)
    first = client.get(org_url("resources", org))
    text = text_of(first.content)
    # then the caption sums all twelve (1 + … + 12 = 78) and the table lists the ten largest
    assert "78 hours a week go to initiatives that serve no active objective, in 12 allocations" in text
    listed = re.findall(
        r"<th scope=\"row\">(P\d\d)</th>\s*<td><a [^>]+>Loose</a></td>", first.content.decode()
    )
    assert listed == [f"P{n:02d}" for n in range(12, 12 - OFF_STRATEGY_PER_PAGE, -1)]
    second = follow(client, first, "Pages of off-strategy allocations", "Next page")
    listed = re.findall(
        r"<th scope=\"row\">(P\d\d)</th>\s*<td><a [^>]+>Loose</a></td>", second.content.decode()
    )
    assert listed == ["P02", "P01"]
