"""The team search behind every team picker: ranked by name, `mine` for a role limited to its teams,
`not_under` for a team's new parent, the organization's teams only, constant queries."""

from __future__ import annotations

import pytest

from execgap.models import Role
from tests.conftest import person_of
from tests.factories import TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.pickers.conftest import found, notes

pytestmark = pytest.mark.django_db


def search(client, org, **params):
    return client.get(org_url("team_search", org), params)


def test_teams_are_ranked_by_name_with_their_parent_beside_them(client, signed_in, org):
    # given teams
    signed_in(Role.MEMBER)
    sales = TeamFactory(organization=org, name="Sales")
    north = TeamFactory(organization=org, name="Sales North", parent=sales)
    wholesale = TeamFactory(organization=org, name="Wholesales")
    # when a team picker searches "sales"
    response = search(client, org, q="sales")
    # then the exact name, the prefix, then the substring
    assert found(response) == [str(sales.pk), str(north.pk), str(wholesale.pk)]
    assert "part of Sales" in response.content.decode()


def test_mine_keeps_the_teams_of_a_lead_and_those_below_them(client, signed_in, org):
    # given a lead of a team with a team below it, and another team
    member = signed_in(Role.LEAD)
    mine = TeamFactory(organization=org, name="Team mine", lead=person_of(member))
    below = TeamFactory(organization=org, name="Team below", parent=mine)
    TeamFactory(organization=org, name="Team other")
    # when the plan form's team picker of a lead searches
    response = search(client, org, q="team", scope="mine")
    # then only their teams are found
    assert found(response) == [str(below.pk), str(mine.pk)]


def test_not_under_leaves_out_a_team_and_those_below_it(client, signed_in, org):
    # given a tree of teams
    signed_in(Role.ADMIN)
    sales = TeamFactory(organization=org, name="Sales")
    TeamFactory(organization=org, name="Sales North", parent=sales)
    product = TeamFactory(organization=org, name="Product")
    # when Sales's parent picker searches with nothing typed
    response = search(client, org, not_under=sales.pk)
    # then neither Sales nor the team below it is offered
    assert found(response) == [str(product.pk)]


def test_another_organizations_teams_are_never_found(client, signed_in, org, other_org):
    # given a team of the same name in another organization
    signed_in(Role.ADMIN)
    ours = TeamFactory(organization=org, name="Sales")
    TeamFactory(organization=other_org, name="Sales")
    # when the picker searches
    response = search(client, org, q="sales")
    # then only this organization's team is found
    assert found(response) == [str(ours.pk)]


def test_an_unknown_scope_says_why(client, signed_in, org):
    signed_in(Role.ADMIN)
    response = search(client, org, scope="theirs")
    assert response.status_code == 400
    assert notes(response) == ["“scope” must be one of: all, mine."]


def test_a_search_runs_as_many_queries_for_many_teams_as_for_few(client, signed_in, org):
    # given a lead of a team
    member = signed_in(Role.LEAD)
    root = TeamFactory(organization=org, lead=person_of(member))
    url = org_url("team_search", org)
    client.get(url)

    def grow(count):
        TeamFactory.create_batch(count, organization=org, parent=root)

    grow(3)
    few = [query_count(client, f"{url}?q=team"), query_count(client, f"{url}?q=team&scope=mine")]
    grow(30)
    many = [query_count(client, f"{url}?q=team"), query_count(client, f"{url}?q=team&scope=mine")]
    # then the queries stay the same (the member's teams: their person and the team tree, once)
    assert few == many
    assert many[0] == 4
    assert many[1] <= 6
