"""Home, the organization switcher and the frame of every page: who lands where."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from execgap.models import Role
from execgap.services import organization_mark_scores_stale
from scoring.services import scores_recompute
from scoring.web.dashboards import views as dashboard_views
from tests.factories import MembershipFactory
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    # when someone who is not logged in opens the home page
    response = client.get(reverse("home"))
    # then they are redirected to the login page, coming back home afterwards
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_the_login_page_logs_a_member_in_and_goes_home(client, member_of):
    # given a member with a password
    membership = member_of(Role.MEMBER)
    # when they submit the login form
    response = client.post(
        reverse("login"), {"username": membership.user.username, "password": "a-long-test-password"}
    )
    # then they land on home, which opens their organization's health page
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == org_url("health", membership.organization)


def test_a_member_of_two_organizations_switches_between_them(client, signed_in, org, other_org):
    # given a user who belongs to two organizations
    membership = signed_in(Role.MEMBER)
    MembershipFactory(organization=other_org, user=membership.user, role=Role.VIEWER)
    # when they switch to the second one
    switched = client.get(reverse("org_switch"), {"org": other_org.slug})
    # then they are taken to its health page, and the choice is remembered by home
    assert switched["Location"] == org_url("health", other_org)
    client.get(switched["Location"])
    assert client.get(reverse("home"))["Location"] == org_url("health", other_org)


def test_switching_to_an_organization_of_which_one_is_not_a_member_stays_home(
    client, signed_in, org, other_org
):
    # given a member of the first organization only
    signed_in(Role.MEMBER)
    # when they ask the switcher for the other organization
    response = client.get(reverse("org_switch"), {"org": other_org.slug})
    # then they stay in their own
    assert response["Location"] == org_url("health", org)


def test_a_user_without_a_membership_is_offered_to_create_an_organization(client, org):
    # given a user who belongs to no organization
    user = MembershipFactory(organization=org).user
    user.memberships.all().delete()
    client.force_login(user)
    # when they open home
    response = client.get(reverse("home"))
    # then they are welcomed with the way to a first organization
    assert response.status_code == 200
    assert "not a member of any organization" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_the_pages_of_another_organization_are_not_found(client, signed_in, other_org, role):
    # given a member of one organization
    signed_in(role)
    # when they open the scores status of another one (every organization page shares the check)
    response = client.get(org_url("scores_status", other_org))
    # then it does not exist for them
    assert response.status_code == 404


def test_the_scores_status_announces_a_newer_snapshot(client, signed_in, org):
    # given a member, and a snapshot newer than the one their page shows
    signed_in(Role.VIEWER)
    first = scores_recompute(organization_id=org.pk)
    second = scores_recompute(organization_id=org.pk)
    # when the page polls with the snapshot it shows
    behind = client.get(org_url("scores_status", org), {"seen": first.pk})
    current = client.get(org_url("scores_status", org), {"seen": second.pk})
    # then only the page that is behind is told to refresh its numbers
    assert json.loads(behind["HX-Trigger"]) == {"scores-updated": {}}
    assert "HX-Trigger" not in current
    assert "Scores computed" in current.content.decode()


def test_the_polled_scores_status_costs_the_same_whatever_the_history(client, signed_in, org):
    # given a member, and an organization with one snapshot, then with four
    signed_in(Role.VIEWER)
    scores_recompute(organization_id=org.pk)
    url = org_url("scores_status", org)
    query_count(client, url)  # the first page of a session also remembers the organization in it
    few = query_count(client, url)
    for _ in range(3):
        scores_recompute(organization_id=org.pk)
    # when the status is polled again
    many = query_count(client, url)
    # then it runs as many queries as before: the session, the membership, the newest snapshot
    assert few == many
    assert many <= 4


def test_home_and_the_switcher_cost_a_few_queries_whatever_the_memberships(client, signed_in, org):
    # given a member of one organization, then of four
    membership = signed_in(Role.MEMBER)
    one = query_count(client, reverse("home"), status=302)
    for _ in range(3):
        MembershipFactory(user=membership.user, role=Role.VIEWER)
    # when they open home and the switcher again
    four = query_count(client, reverse("home"), status=302)
    switched = query_count(client, reverse("org_switch") + f"?org={org.slug}", status=302)
    # then the queries do not grow with the memberships
    assert one == four == switched
    assert four <= 3


def test_a_snapshot_that_lands_while_a_page_is_read_makes_the_page_refresh_its_numbers(
    client, signed_in, org, monkeypatch
):
    # given a member, the scores computed once, then a change that makes them stale
    signed_in(Role.VIEWER)
    first = scores_recompute(organization_id=org.pk)
    organization_mark_scores_stale(organization_id=org.pk)
    # when the new snapshot is stored while the health page reads its numbers (the worker finishing then)
    read_health = dashboard_views.health_page

    def health_page_while_a_worker_stores(**kwargs):
        page = read_health(**kwargs)
        scores_recompute(organization_id=org.pk)
        return page

    monkeypatch.setattr(dashboard_views, "health_page", health_page_while_a_worker_stores)
    html = client.get(org_url("health", org)).content.decode()
    # then the page says it shows the first snapshot (not the one that landed meanwhile): its status
    # element polls, and the poll tells it to refresh its numbers
    status = re.search(r'<p id="scores-status"[^>]*>', html).group(0)
    assert f"?seen={first.pk}" in status
    assert 'hx-trigger="every 2s"' in status
    poll = client.get(org_url("scores_status", org), {"seen": first.pk})
    assert json.loads(poll["HX-Trigger"]) == {"scores-updated": {}}
