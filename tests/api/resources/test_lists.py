"""Lists of teams/, people/ and allocations/: filters, search, keyset pages, a fixed query count."""

import datetime

import pytest
from django.utils import timezone

from execgap.models import Role
from resources.models import Allocation, Person, Team
from tests.api.resources.support import client_for, url
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(member_of):
    return client_for(member_of(Role.VIEWER, person=False))


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


# --- filters and search ------------------------------------------------------------------------


def test_teams_filter_by_parent_and_search_by_name(org, client):
    # given Growth above Growth EU and Growth US, and Platform
    growth = TeamFactory(organization=org, name="Growth")
    eu = TeamFactory(organization=org, name="Growth EU", parent=growth)
    us = TeamFactory(organization=org, name="Growth US", parent=growth)
    platform = TeamFactory(organization=org, name="Platform")
    # then ?parent= gives the direct children and ?search= matches names
    assert _ids(client.get(url(org, "teams/"), {"parent": growth.pk})) == [eu.pk, us.pk]
    assert _ids(client.get(url(org, "teams/"), {"search": "growth"})) == [growth.pk, eu.pk, us.pk]
    assert _ids(client.get(url(org, "teams/"), {"search": "plat"})) == [platform.pk]


def test_people_filter_by_team_and_active_and_search_names_and_emails(org, client, growth):
    # given two people of Growth (one inactive) and one of no team
    ada = PersonFactory(organization=org, name="Ada", email="ada@acme.test", team=growth)
    bob = PersonFactory(organization=org, name="Bob", email="bob@acme.test", team=growth, active=False)
    cy = PersonFactory(organization=org, name="Cy", email="cy@elsewhere.test")
    # then each filter narrows the list
    assert _ids(client.get(url(org, "people/"), {"team": growth.pk})) == [ada.pk, bob.pk]
    assert _ids(client.get(url(org, "people/"), {"team": growth.pk, "active": "false"})) == [bob.pk]
    assert _ids(client.get(url(org, "people/"), {"search": "acme.test"})) == [ada.pk, bob.pk]
    assert _ids(client.get(url(org, "people/"), {"search": "cy"})) == [cy.pk]


def test_allocations_filter_by_person_initiative_and_the_day_they_run(org, client, growth_initiative):
    # given Ada in January, Ada open-ended from March, and Bob with no dates on another initiative
    ada, bob = PersonFactory(organization=org, name="Ada"), PersonFactory(organization=org, name="Bob")
    other = InitiativeFactory(organization=org)
    january = AllocationFactory(
        organization=org, person=ada, initiative=growth_initiative,
        start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2027, 1, 31),
    )  # fmt: skip
    from_march = AllocationFactory(
        organization=org, person=ada, initiative=growth_initiative, start_date=datetime.date(2027, 3, 1)
    )
    always = AllocationFactory(organization=org, person=bob, initiative=other)
    # then ?person=, ?initiative= and ?active_on= narrow the list (an open end runs forever)
    assert _ids(client.get(url(org, "allocations/"), {"person": ada.pk})) == [january.pk, from_march.pk]
    assert _ids(client.get(url(org, "allocations/"), {"initiative": other.pk})) == [always.pk]
    assert _ids(client.get(url(org, "allocations/"), {"active_on": "2027-01-31"})) == [january.pk, always.pk]
    assert _ids(client.get(url(org, "allocations/"), {"active_on": "2027-02-15"})) == [always.pk]
    assert _ids(client.get(url(org, "allocations/"), {"active_on": "2030-12-31"})) == [
        from_march.pk,
        always.pk,
    ]


@pytest.mark.parametrize(
    ("path", "model"), [("teams", Team), ("people", Person), ("allocations", Allocation)]
)
def test_updated_since_gives_the_rows_changed_since(org, client, growth_initiative, path, model):
    # given one row changed in 2026 and one in 2028
    old = AllocationFactory(organization=org, initiative=growth_initiative)
    new = AllocationFactory(organization=org, initiative=growth_initiative)
    rows = {
        "teams": (growth_initiative.team, TeamFactory(organization=org)),
        "people": (old.person, new.person),
    }
    rows["allocations"] = (old, new)
    before, after = rows[path]
    model.objects.filter(pk=before.pk).update(updated_at=timezone.make_aware(datetime.datetime(2026, 6, 1)))
    model.objects.filter(pk=after.pk).update(updated_at=timezone.make_aware(datetime.datetime(2028, 6, 1)))
    # when a client asks for what changed since 2027
    ids = _ids(client.get(url(org, f"{path}/"), {"updated_since": "2027-01-01T00:00:00Z"}))
    # then it gets the 2028 row, not the 2026 one
    assert after.pk in ids
    assert before.pk not in ids


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("teams", {"parent": "top"}, "parent"),
        ("people", {"active": "perhaps"}, "active"),
        ("allocations", {"active_on": "someday"}, "active_on"),
        ("allocations", {"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_filter_is_refused_on_its_name(org, client, path, query, field):
    # when a client filters by a value of the wrong kind
    response = client.get(url(org, f"{path}/"), query)
    # then the filter is named
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_active_is_true_or_false(org, client):
    # given an active and an inactive person
    ada = PersonFactory(organization=org, name="Ada")
    bob = PersonFactory(organization=org, name="Bob", active=False)
    # then ?active= reads true/false (and 1/0)
    assert _ids(client.get(url(org, "people/"), {"active": "true"})) == [ada.pk]
    assert _ids(client.get(url(org, "people/"), {"active": "0"})) == [bob.pk]
    assert client.get(url(org, "people/"), {"active": "perhaps"}).json() == {"active": ["Use true or false."]}


# --- pages -------------------------------------------------------------------------------------


def test_pages_follow_each_other_by_id(org, client):
    # given 5 teams
    teams = [TeamFactory(organization=org, name=f"Team {n}").pk for n in range(5)]
    # when a client reads them 2 at a time, following `next`
    seen, page = [], client.get(url(org, "teams/"), {"page_size": 2})
    while True:
        seen += _ids(page)
        if page.json()["next"] is None:
            break
        page = client.get(page.json()["next"])
    # then it sees each once, in id order
    assert seen == teams


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("path", ["teams", "people", "allocations"])
def test_a_list_costs_the_same_queries_at_any_page_size(
    org, client, growth, growth_initiative, django_assert_max_num_queries, rows, path
):
    # given `rows` rows of each kind, every link set
    for _ in range(rows):
        person = PersonFactory(organization=org, team=growth)
        TeamFactory(organization=org, parent=growth, lead=person)
        AllocationFactory(organization=org, person=person, initiative=growth_initiative)
    # when a client lists a page of all of them: the membership, then the page
    with django_assert_max_num_queries(2):
        response = client.get(url(org, f"{path}/"), {"page_size": 100})
    # then every row is there
    assert len(_ids(response)) >= rows
