"""A refused action says why: the 403 page in the site's layout, the fragment htmx shows, the API's JSON."""

from __future__ import annotations

import pytest

from execgap.models import Role
from execgap.roles import Action, Resource, needed_role, noun
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


def test_a_viewer_refused_a_page_reads_why_which_role_it_needs_and_where_to_go(client, signed_in, org, admin):
    # given a viewer, coming from the strategy map
    signed_in(Role.VIEWER)
    came_from = f"http://testserver{org_url('strategy_map', org)}"
    # when they open the form of a new objective
    response = client.get(org_url("objective_create", org), HTTP_REFERER=came_from)
    # then the page, in the site's layout, says what was refused, who may do it, whom to ask and where to go
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role (viewer) may not create objectives here." in html
    assert "This is open to team leads, executives and admins." in html
    assert f"ask an admin of Acme: {admin.user.username}" in html
    assert f'href="{came_from}"' in html
    assert f'href="{org_url("health", org)}"' in html
    assert 'aria-label="Main"' in html  # the navigation of the organization's pages
    assert "<h1>" in html


def test_a_link_from_another_site_is_not_offered_as_the_way_back(client, signed_in, org):
    # given a viewer who followed a link from elsewhere
    signed_in(Role.VIEWER)
    # when they are refused a page
    response = client.get(org_url("objective_create", org), HTTP_REFERER="https://evil.example/x")
    # then the way back is not that site
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_an_htmx_request_gets_the_reason_as_a_fragment_shown_at_the_top_of_the_page(client, signed_in, org):
    # given a member
    signed_in(Role.MEMBER)
    # when an htmx request asks for an action of leads and above
    response = client.post(org_url("objective_create", org), {"title": "X"}, HTTP_HX_REQUEST="true")
    # then the answer is the reason alone, retargeted to the top of the page's content
    assert response.status_code == 403
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="forbidden-notice"' in html
    assert "Your role (member) may not create objectives here." in html
    assert response["HX-Retarget"] == "#main"
    assert response["HX-Reswap"] == "afterbegin"


def test_the_api_keeps_its_json_error(client, signed_in, org):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they post an objective through the API
    url = f"/api/v1/orgs/{org.slug}/objectives/"
    response = client.post(url, {"title": "X"}, content_type="application/json")
    # then the answer is the API's JSON, naming what was refused
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role (viewer) may not create objectives."}


@pytest.mark.parametrize("resource", list(Resource))
def test_every_refusal_names_the_resource_in_words(resource):
    # then no message shows a code name such as "check_ins"
    assert "_" not in noun(resource)
    assert "_" not in noun(resource, plural=True)


def test_the_role_a_refusal_names_is_the_least_trusted_one_the_rule_grants():
    # then check-ins are open to members, objectives to leads, settings to admins
    assert needed_role(Resource.CHECK_IN, Action.CREATE) is Role.MEMBER
    assert needed_role(Resource.OBJECTIVE, Action.CREATE) is Role.LEAD
    assert needed_role(Resource.ORGANIZATION, Action.CHANGE) is Role.ADMIN


def test_the_403_page_runs_a_fixed_number_of_queries(client, signed_in, org, member_of):
    # given a viewer, and an organization with one admin, then with ten
    signed_in(Role.VIEWER)
    member_of(Role.ADMIN)
    client.get(org_url("objective_create", org))  # the session's first request saves it
    few = query_count(client, org_url("objective_create", org), status=403)
    for _ in range(9):
        member_of(Role.ADMIN)
    many = query_count(client, org_url("objective_create", org), status=403)
    # then the page costs the same
    assert few == many
