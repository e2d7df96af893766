"""An empty section tells the truth about an organization with nothing in it yet, and offers the next
step to a role that may take it: no "every allocation is on strategy" where nobody is allocated."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from execgap.models import Role
from scoring.services import scores_recompute
from tests.conftest import person_of
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    ObjectiveFactory,
)
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


def text_of(html: bytes) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def scored(org) -> None:
    scores_recompute(organization_id=org.pk, as_of=timezone.localdate())


@pytest.fixture
def new_org(org):
    """A new organization: its scores computed over nothing."""
    scored(org)
    return org


def test_a_new_organizations_resources_page_says_nothing_is_planned_yet_and_what_to_do(
    client, signed_in, new_org
):
    # given an executive of a new organization (who is no person of it either)
    signed_in(Role.EXECUTIVE, person=False)
    # when they open the resources page
    response = client.get(org_url("resources", new_org))
    page, words = response.content.decode(), text_of(response.content)
    # then no section claims something of rows that do not exist, and each says what to do next
    assert "Every current allocation" not in words
    assert "No staffing drift" not in words
    assert "Nobody is allocated to an initiative yet, so no capacity is off strategy either." in words
    assert "No active initiative, so there is no staffing to compare with the work yet." in words
    assert "No objective yet, so there is nothing to staff against." in words
    assert f'href="{org_url("allocation_create", new_org)}">Staff an initiative</a>' in page
    assert f'href="{org_url("objective_create", new_org)}">Write the first objective</a>' in page
    assert f'href="{org_url("initiative_create", new_org)}">Plan an initiative</a>' in page
    assert "No people yet: the people and their weekly capacity are what the plan is staffed from." in words
    assert f'href="{org_url("settings_person_create", new_org)}">Add a person</a>' not in page  # admins only


def test_an_admin_of_a_new_organization_is_offered_to_add_people(client, signed_in, new_org):
    # given an admin without a person record, in an organization without people
    signed_in(Role.ADMIN, person=False)
    # when they open the resources page
    page = client.get(org_url("resources", new_org)).content.decode()
    # then the people's section offers to add the first
    assert f'href="{org_url("settings_person_create", new_org)}">Add a person</a>' in page


def test_a_viewer_reads_the_same_truth_without_links_to_forms_they_may_not_use(client, signed_in, new_org):
    # given a viewer of a new organization
    signed_in(Role.VIEWER)
    # when they open the resources page and the cut line
    resources = client.get(org_url("resources", new_org)).content
    cut_line = client.get(org_url("capacity_cut_line", new_org)).content
    # then the empty sections say so, and offer no form
    assert "Nobody is allocated to an initiative yet" in text_of(resources)
    assert "No active or proposed initiative, so nothing is ranked against the capacity yet." in text_of(
        cut_line
    )
    for page in (resources, cut_line):
        assert org_url("allocation_create", new_org) not in page.decode()
        assert org_url("initiative_create", new_org) not in page.decode()


def test_with_allocations_all_on_strategy_the_page_says_every_one_serves_an_active_objective(
    client, signed_in, org
):
    # given an active objective with an active initiative someone is allocated to
    signed_in(Role.EXECUTIVE)
    objective = ObjectiveFactory(organization=org)
    initiative = InitiativeFactory(organization=org, objective=objective)
    AllocationFactory(organization=org, initiative=initiative)
    scored(org)
    # when they open the resources page
    words = text_of(client.get(org_url("resources", org)).content)
    # then the off-strategy section says every allocation is on strategy
    assert "Every current allocation serves an active objective." in words
    assert "Nobody is allocated" not in words


def test_the_cut_line_of_a_new_organization_offers_a_lead_to_plan_an_initiative(client, signed_in, new_org):
    # given a lead of a new organization
    signed_in(Role.LEAD)
    # when they open the capacity cut line
    page = client.get(org_url("capacity_cut_line", new_org)).content.decode()
    # then it says nothing is ranked yet, and how an initiative gets on the line
    assert "No active or proposed initiative, so nothing is ranked against the capacity yet." in page
    assert f'href="{org_url("initiative_create", new_org)}">Plan an initiative</a>' in page


def test_alignment_without_any_work_says_there_is_nothing_to_link_yet(client, signed_in, new_org):
    # given a lead of an organization without tasks
    signed_in(Role.LEAD)
    # when they open the alignment page
    response = client.get(org_url("alignment", new_org))
    words = text_of(response.content)
    # then it does not claim that everything traces to a goal, and points at the import
    assert "everything in scope traces to an active goal" not in words
    assert "so there is no work to link yet" in words
    assert f'href="{org_url("teams", new_org)}">Import a team\u2019s tasks</a>' in response.content.decode()


def test_my_work_of_someone_who_owns_nothing_does_not_claim_their_goals_are_checked_in(
    client, signed_in, org
):
    # given a member who owns no goal
    signed_in(Role.MEMBER)
    # when they open my work
    words = text_of(client.get(org_url("my_work", org)).content)
    # then the check-ins section says why nothing waits
    assert "You own no active objective or initiative, so no check-in waits for you." in words
    assert "every active objective and initiative you own has a recent one" not in words


def test_my_work_of_an_owner_with_fresh_check_ins_says_so(client, signed_in, org):
    # given a member who owns an active objective checked in today
    person = person_of(signed_in(Role.MEMBER))
    objective = ObjectiveFactory(organization=org, owner=person)
    CheckInFactory(organization=org, objective=objective, author=person, date=timezone.localdate())
    # when they open my work
    words = text_of(client.get(org_url("my_work", org)).content)
    # then nothing waits, because every goal they own has a recent check-in
    assert (
        "Nothing waits for your check-in: every active objective and initiative you own has a recent one."
        in words
    )


def test_my_work_runs_as_many_queries_whether_or_not_the_member_owns_goals(client, signed_in, org):
    # given a member who owns nothing
    person = person_of(signed_in(Role.MEMBER))
    url = org_url("my_work", org)
    client.get(url)  # the session's first request saves it
    nothing = query_count(client, url)
    # when they come to own three draft objectives (none of them asks for a check-in)
    for _ in range(3):
        ObjectiveFactory(organization=org, owner=person, status="draft")
    three = query_count(client, url)
    # then the page costs the same
    assert three == nothing


def test_the_health_page_of_an_organization_with_only_objectives_says_what_is_not_there_yet(
    client, signed_in, org
):
    # given an executive and a draft objective: nothing active, no initiative, task or check-in
    signed_in(Role.EXECUTIVE)
    ObjectiveFactory(organization=org, status="draft")
    scored(org)
    # when they open the health page
    words = text_of(client.get(org_url("health", org)).content)
    # then the gaps say there is nothing to measure yet, not that all is well
    assert "Every active initiative is staffed" not in words
    assert "Every objective gets about the share" not in words
    assert "Every active objective and initiative has a recent check-in" not in words
    assert "No initiative is active yet, so there is no staffing to measure" in words
    assert "No work traces to an active objective yet" in words
    assert "No objective or initiative is active yet, so no check-in is due" in words


def test_a_blocker_raised_a_moment_ago_was_raised_just_now(client, signed_in, org):
    # given a blocker raised a moment ago
    signed_in(Role.EXECUTIVE)
    ObjectiveFactory(organization=org)
    scored(org)
    FeedbackItemFactory(organization=org, text="The build is red")
    # when an executive opens the health page
    words = text_of(client.get(org_url("health", org)).content)
    # then it was raised just now, not "0 minutes ago"
    assert "Raised just now" in words
    assert "0 minutes" not in words


def test_an_unstaffed_initiative_says_so_and_offers_to_staff_it(client, signed_in, org):
    # given an active initiative nobody is allocated to
    initiative = InitiativeFactory(organization=org, objective=ObjectiveFactory(organization=org))
    signed_in(Role.EXECUTIVE)
    # when an executive opens it
    page = client.get(org_url("initiative_detail", org, pk=initiative.pk)).content.decode()
    # then its people's section says its work is not staffed, with the way to staff it
    assert "Nobody is allocated to it: its work is not staffed." in text_of(page.encode())
    staff = f"{org_url('allocation_create', org)}?initiative={initiative.pk}"
    assert f'<a href="{staff}">Allocate someone to it</a>' in page


def test_a_viewer_reads_that_an_initiative_is_unstaffed_without_the_form(client, signed_in, org):
    # given an active initiative nobody is allocated to, and a viewer
    initiative = InitiativeFactory(organization=org)
    signed_in(Role.VIEWER)
    # when they open it
    page = client.get(org_url("initiative_detail", org, pk=initiative.pk)).content.decode()
    # then they read it is unstaffed, and are offered no form
    assert "Nobody is allocated to it: its work is not staffed." in text_of(page.encode())
    assert "Allocate someone to it" not in page
