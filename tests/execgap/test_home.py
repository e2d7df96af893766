from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from execgap.models import Role
from objectives.models import ObjectiveStatus
from tests.factories import MembershipFactory, ObjectiveFactory, PersonFactory, TeamFactory

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
    # then they land on the home page, logged in
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_member_sees_the_cascade_of_their_organization(client, member_of, org):
    # given a root objective with a child, an owner, a team and dates
    team = TeamFactory(organization=org, name="Platform")
    owner = PersonFactory(organization=org, name="Priya Natarajan")
    root = ObjectiveFactory(organization=org, title="Most reliable fleet", priority_weight=4)
    ObjectiveFactory(
        organization=org,
        parent=root,
        title="Reach 99.95% uptime",
        status=ObjectiveStatus.DRAFT,
        team=team,
        owner=owner,
        start_date=date(2026, 1, 5),
        end_date=date(2026, 6, 30),
    )
    membership = member_of(Role.MEMBER)
    client.force_login(membership.user)
    # when they open the home page
    response = client.get(reverse("home"))
    # then the child is listed under its root, with status in words, owner, team and dates
    assert response.status_code == 200
    tree = response.context["tree"]
    assert [node.objective.title for node in tree] == ["Most reliable fleet"]
    assert [child.objective.title for child in tree[0].children] == ["Reach 99.95% uptime"]
    html = response.content.decode()
    assert html.index("Most reliable fleet") < html.index("Reach 99.95% uptime")
    for text in ("Draft", "Priya Natarajan", "Platform", "5 Jan 2026", "30 Jun 2026"):
        assert text in html


def test_a_member_never_sees_another_organizations_objectives(client, member_of, org, other_org):
    # given objectives in two organizations and a member of the first only
    ObjectiveFactory(organization=org, title="Ours")
    ObjectiveFactory(organization=other_org, title="Theirs")
    membership = member_of(Role.MEMBER)
    client.force_login(membership.user)
    # when they ask for the other organization by its slug
    response = client.get(reverse("home"), {"org": other_org.slug})
    # then they still see only their own organization
    html = response.content.decode()
    assert "Ours" in html
    assert "Theirs" not in html
    assert response.context["organization"] == org


def test_a_member_of_two_organizations_switches_between_them(client, member_of, org, other_org):
    # given a user who belongs to two organizations, each with an objective
    ObjectiveFactory(organization=org, title="Acme goal")
    ObjectiveFactory(organization=other_org, title="Globex goal")
    membership = member_of(Role.MEMBER)
    MembershipFactory(organization=other_org, user=membership.user, role=Role.VIEWER)
    client.force_login(membership.user)
    # when they switch to the second organization
    switched = client.get(reverse("home"), {"org": other_org.slug})
    # then they see its objectives, with a switcher, and the choice is remembered
    assert "Globex goal" in switched.content.decode()
    assert "Acme goal" not in switched.content.decode()
    assert 'id="org-select"' in switched.content.decode()
    assert client.get(reverse("home")).context["organization"] == other_org


def test_a_user_without_a_membership_sees_no_objectives(client, org):
    # given an objective and a user who belongs to no organization
    ObjectiveFactory(organization=org, title="Ours")
    user = MembershipFactory(organization=org).user
    user.memberships.all().delete()
    client.force_login(user)
    # when they open the home page
    response = client.get(reverse("home"))
    # then they are told they belong to no organization
    assert response.status_code == 200
    assert "Ours" not in response.content.decode()
    assert "not a member of any organization" in response.content.decode()


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


def test_the_home_page_query_count_does_not_grow_with_the_objectives(client, member_of, org):
    # given a member and a small cascade with teams and owners
    membership = member_of(Role.MEMBER)
    client.force_login(membership.user)

    def add_branch(n: int) -> None:
        root = ObjectiveFactory(organization=org, team=TeamFactory(organization=org))
        for _ in range(n):
            ObjectiveFactory(
                organization=org, parent=root, team=root.team, owner=PersonFactory(organization=org)
            )

    add_branch(2)
    client.get(reverse("home"))  # the session is written once, on the first visit
    small = _home_queries(client)
    # when the cascade grows tenfold
    for _ in range(5):
        add_branch(4)
    large = _home_queries(client)
    # then the page takes the same number of queries
    assert large == small
