"""The long lists of the settings (people, members, teams): a page at a time, searched on the server,
in as many queries for a small organization as for one three times its size."""

from __future__ import annotations

import pytest

from execgap.models import Role
from tests.factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory
from tests.web.conftest import org_url, query_count
from tests.web.paging import BAD_CURSOR_MESSAGE, cursor_of, follow, pager_links, walk

pytestmark = pytest.mark.django_db

PEOPLE = "Pages of people"
MEMBERS = "Pages of members"
TEAMS = "Pages of teams"


def _people_names(response) -> list[str]:
    return [person.name for person in response.context["page"].rows]


def test_the_people_come_a_page_at_a_time_by_name_forward_and_back(client, signed_in, org):
    # given a viewer and 60 people (names that sort in creation order)
    signed_in(Role.VIEWER, person=False)
    for number in range(60):
        PersonFactory(organization=org, name=f"Person {number:02}")
    # when they walk the pages forward, then back from the last one
    pages = walk(client, client.get(org_url("settings_people", org)), PEOPLE)
    back = follow(client, pages[-1], PEOPLE, "Previous page")
    # then everyone comes once, by name, 25 to a page, and the way back shows the page before
    names = [name for page in pages for name in _people_names(page)]
    assert names == [f"Person {number:02}" for number in range(60)]
    assert [len(_people_names(page)) for page in pages] == [25, 25, 10]
    assert _people_names(back) == _people_names(pages[1])
    assert "Previous page" not in pager_links(pages[0], PEOPLE)


def test_the_pages_of_a_search_keep_the_search(client, signed_in, org):
    # given 30 people called Kim and 30 others
    signed_in(Role.VIEWER, person=False)
    for number in range(30):
        PersonFactory(organization=org, name=f"Kim {number:02}")
        PersonFactory(organization=org, name=f"Lee {number:02}")
    # when a search for "kim" is paged through
    pages = walk(client, client.get(org_url("settings_people", org), {"q": "kim"}), PEOPLE)
    # then only the Kims come, every one of them
    names = [name for page in pages for name in _people_names(page)]
    assert names == [f"Kim {number:02}" for number in range(30)]


def test_a_damaged_page_link_of_the_people_answers_400_with_the_first_page(client, signed_in, org):
    # given a viewer and a person
    signed_in(Role.VIEWER, person=False)
    PersonFactory(organization=org, name="Bea")
    # when the list is opened with a cursor that is not one
    response = client.get(org_url("settings_people", org), {"cursor": "1'; DROP TABLE people"})
    # then it says so, and shows the first page
    assert response.status_code == 400
    assert BAD_CURSOR_MESSAGE in response.content.decode()
    assert _people_names(response) == ["Bea"]


def test_a_cursor_of_another_organization_shows_only_this_organizations_people(
    client, signed_in, org, other_org
):
    # given a page link of another organization's people, and a viewer of this one
    signed_in(Role.ADMIN, other_org, person=False)
    for number in range(30):
        PersonFactory(organization=other_org, name=f"Their {number:02}")
    cursor = cursor_of(pager_links(client.get(org_url("settings_people", other_org)), PEOPLE)["Next page"])
    client.logout()
    signed_in(Role.VIEWER, person=False)
    PersonFactory(organization=org, name="Zed")
    # when the viewer opens this organization's people with that cursor
    response = client.get(org_url("settings_people", org), {"cursor": cursor})
    # then the cursor is only a position: no person of the other organization shows
    assert response.status_code == 200
    assert _people_names(response) == ["Zed"]


def test_the_people_page_runs_as_many_queries_for_three_times_the_people_on_a_later_page(
    client, signed_in, org
):
    # given an administrator and 30 people (a second page)
    signed_in(Role.ADMIN)
    PersonFactory.create_batch(30, organization=org, team=TeamFactory(organization=org))
    url = pager_links(client.get(org_url("settings_people", org)), PEOPLE)["Next page"]
    # when the second page is opened, then again with three times as many people
    small = query_count(client, url)
    PersonFactory.create_batch(60, organization=org, team=TeamFactory(organization=org))
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large


def test_the_members_come_a_page_at_a_time_and_can_be_searched(client, signed_in, org):
    # given an administrator and 60 more members, 3 of them with "ops" in their email
    signed_in(Role.ADMIN)
    MembershipFactory.create_batch(57, organization=org)
    for number in range(3):
        MembershipFactory(
            organization=org, user=UserFactory(username=f"z{number}", email=f"z{number}@ops.io")
        )
    # when they walk the pages, then search "ops.io"
    pages = walk(client, client.get(org_url("settings_members", org)), MEMBERS)
    found = client.get(org_url("settings_members", org), {"q": "OPS.IO"})
    # then all 61 members come once, by username, 25 to a page; the search finds the three
    usernames = [row.membership.user.username for page in pages for row in page.context["rows"]]
    assert len(usernames) == len(set(usernames)) == 61
    assert usernames == sorted(usernames)
    assert [len(page.context["rows"]) for page in pages] == [25, 25, 11]
    assert [row.membership.user.username for row in found.context["rows"]] == ["z0", "z1", "z2"]
    assert pager_links(found, MEMBERS) == {}


def test_a_search_that_finds_no_member_says_so(client, signed_in, org):
    # given an administrator
    signed_in(Role.ADMIN)
    # when they search for nobody
    html = client.get(org_url("settings_members", org), {"q": "nobody-here"}).content.decode()
    # then the page says nobody matches, and offers to clear the search
    assert "No member matches “nobody-here”." in html
    assert "Clear the search" in html


def test_the_members_page_runs_as_many_queries_for_three_times_the_members(client, signed_in, org):
    # given an administrator and members with person records, on the second page
    signed_in(Role.ADMIN)

    def grow(count: int) -> None:
        for membership in MembershipFactory.create_batch(count, organization=org):
            PersonFactory(organization=org, user=membership.user)

    grow(30)
    url = pager_links(client.get(org_url("settings_members", org)), MEMBERS)["Next page"]
    # when the second page is opened with 31 members and with three times as many
    small = query_count(client, url)
    grow(62)
    large = query_count(client, url)
    # then the number of queries does not grow
    assert small == large
    assert large <= 15


def test_a_damaged_page_link_of_the_members_answers_400(client, signed_in, org):
    signed_in(Role.ADMIN)
    response = client.get(org_url("settings_members", org), {"cursor": "abc:def"})
    assert response.status_code == 400
    assert BAD_CURSOR_MESSAGE in response.content.decode()


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_a_search_of_the_members_is_still_for_admins_only(client, signed_in, org, role):
    # given a member who is not an admin
    signed_in(role)
    # when they search the members
    response = client.get(org_url("settings_members", org), {"q": "a"})
    # then they are refused like the list itself
    assert response.status_code == 403


def test_the_team_tree_comes_in_numbered_pages_and_a_search_lists_the_matches(client, signed_in, org):
    # given a viewer and 30 top-level teams, the first with two teams below it
    signed_in(Role.VIEWER, person=False)
    tops = [TeamFactory(organization=org, name=f"Area {number:02}") for number in range(30)]
    TeamFactory(organization=org, name="Backend", parent=tops[0])
    TeamFactory(organization=org, name="Frontend", parent=tops[0])
    # when they walk the pages, then search "end"
    pages = walk(client, client.get(org_url("settings_teams", org)), TEAMS)
    found = client.get(org_url("settings_teams", org), {"q": "END"})
    # then the tree comes in pages of 25, each team under its parent, "Page 1 of 2" said
    names = [row.team.name for page in pages for row in page.context["rows"]]
    assert names[:4] == ["Area 00", "Backend", "Frontend", "Area 01"]
    assert len(names) == 32
    assert "Page 1 of 2" in pages[0].content.decode()
    # and the search shows the two matches with the team they are part of
    html = found.content.decode()
    assert [row.team.name for row in found.context["rows"]] == ["Backend", "Frontend"]
    assert "<td>Area 00</td>" in html


@pytest.mark.parametrize(
    ("page", "message"), [("x", "“x” is not a page number"), ("7", "There is no page 7")]
)
def test_a_team_page_that_is_not_one_answers_400_and_says_why(client, signed_in, org, page, message):
    # given a viewer and a team
    signed_in(Role.VIEWER, person=False)
    TeamFactory(organization=org, name="Sales")
    # when they ask for a page that does not exist
    response = client.get(org_url("settings_teams", org), {"page": page})
    # then the answer is 400 and says why, with the teams still shown
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ">Sales</a>" in response.content.decode()


def test_the_team_list_reads_people_for_the_page_only_in_as_many_queries(client, signed_in, org):
    # given an administrator, and teams each with a lead and people
    signed_in(Role.ADMIN)

    def grow(count: int) -> None:
        for team in TeamFactory.create_batch(count, organization=org):
            lead = PersonFactory(organization=org, team=team)
            team.lead = lead
            team.save()
            PersonFactory.create_batch(2, organization=org, team=team)

    grow(10)
    url = org_url("settings_teams", org)
    client.get(url)
    # when the list is opened with 10 teams, then with 30 (two pages)
    small = query_count(client, url)
    grow(20)
    large = query_count(client, url)
    # then the number of queries does not grow, and the counts are the team's
    assert small == large
    response = client.get(url)
    assert all(row.people_count == 3 for row in response.context["rows"])
