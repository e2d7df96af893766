"""The member search behind the plan history's "Changed by": the organization's members by the name
shown for them (their person's name, else their full name, else their username), at most 20, the
organization's only, in constant queries; the history's filter takes a member and refuses anyone else."""

from __future__ import annotations

import pytest

from execgap.models import Role
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.web.conftest import org_url, query_count
from tests.web.pickers.conftest import found, labels, offered

pytestmark = pytest.mark.django_db


def search(client, org, **params):
    return client.get(org_url("member_search", org), params)


def test_members_are_found_by_the_name_shown_for_them(client, signed_in, org, other_org):
    # given members named by their person, by their full name, by their username only, and a member
    # of another organization of the same name
    signed_in(Role.VIEWER)
    by_person = MembershipFactory(organization=org, user=UserFactory(username="u1"))
    PersonFactory(organization=org, user=by_person.user, name="Rita Person")
    by_full_name = MembershipFactory(
        organization=org, user=UserFactory(username="u2", first_name="Rita", last_name="Full")
    )
    by_username = MembershipFactory(organization=org, user=UserFactory(username="rita"))
    MembershipFactory(organization=other_org, user=UserFactory(username="rita-elsewhere"))
    # when the history's picker searches "rita"
    response = search(client, org, q="rita")
    # then the exact username first, then the names starting with it, by name; nobody elsewhere
    assert found(response) == [str(m.user_id) for m in (by_username, by_full_name, by_person)]
    assert labels(response) == ["rita", "Rita Full", "Rita Person"]


def test_the_search_answers_at_most_20_in_constant_queries(client, signed_in, org):
    # given 30 members
    signed_in(Role.VIEWER)
    for n in range(30):
        MembershipFactory(organization=org, user=UserFactory(username=f"planner{n:02}"))
    # when the picker searches "planner", then 20 are answered
    assert len(found(search(client, org, q="planner"))) == 20
    # and the queries do not grow with the members
    few = query_count(client, f"{org_url('member_search', org)}?q=planner")
    for n in range(30, 90):
        MembershipFactory(organization=org, user=UserFactory(username=f"planner{n:02}"))
    assert query_count(client, f"{org_url('member_search', org)}?q=planner") == few


def test_the_history_lists_no_member_and_refuses_one_of_another_organization(
    client, signed_in, org, other_org
):
    # given 200 members, and someone of another organization
    signed_in(Role.VIEWER)
    for n in range(200):
        MembershipFactory(organization=org, user=UserFactory(username=f"member{n:03}"))
    outsider = MembershipFactory(organization=other_org)
    url = org_url("plan_history", org)
    # when the history is read, then its "Changed by" offers only "Anyone" (the picker finds the rest)
    assert offered(client.get(url), "changed_by") == [""]
    # when it is filtered by a member of another organization, then it says so (400)
    response = client.get(url, {"changed_by": outsider.user_id})
    assert response.status_code == 400
    assert "Choose a member of this organization." in response.content.decode()
