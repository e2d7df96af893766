"""Without JavaScript a picker is a plain search form: its Find button sends the form, which comes
back with the matches as the select's options, everything else typed kept and nothing saved. The
field still validates the id it is sent (another organization's, or one it does not offer: its error).

One form of each kind: a plan form (people, goals), the allocation form, a feedback form, a settings
form (teams, people), the workspace's bulk link (goals keyed by kind) and assignee filter, and the
alignment page's link."""

from __future__ import annotations

import re

import pytest

from execgap.models import Role
from feedback.models import FeedbackItem
from objectives.models import ObjectiveStatus, Task
from resources.models import Allocation, Team
from tests.conftest import person_of
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TeamFactory
from tests.web.conftest import org_url
from tests.web.pickers.conftest import offered

pytestmark = pytest.mark.django_db

INVALID = "Select a valid choice. That choice is not one of the available choices."


def value_of(response, name: str) -> str | None:
    """The value an input of the page holds."""
    found = re.search(rf'<input type="[a-z]+" name="{name}" value="([^"]*)"', response.content.decode())
    return found.group(1) if found else None


def test_a_plan_form_finds_an_assignee_keeps_the_input_and_saves_nothing(client, signed_in, org):
    # given a lead, their team's people, and someone of another team with a similar name
    lead = signed_in(Role.LEAD)
    team = TeamFactory(organization=org, name="Payments", lead=person_of(lead))
    mia = PersonFactory(organization=org, name="Mia Wong", team=team)
    mira = PersonFactory(organization=org, name="Mira Stone")
    url = org_url("task_create", org)
    typed = {"title": "Write the migration", "status": "todo", "team": team.pk, "effort_hours": "3"}
    # when they type "mi" in the assignee's box and press its Find
    response = client.post(url, {**typed, "assignee__q": "mi", "_find": "assignee"})
    # then the form comes back (200, no error) with the matches to choose from, the team's first,
    # what they typed kept, and no task created
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert offered(response, "assignee") == ["", str(mia.pk), str(mira.pk)]
    assert value_of(response, "assignee__q") == "mi"
    assert value_of(response, "title") == "Write the migration"
    assert "1 match" not in response.content.decode()
    assert "2 matches for “mi” in the list: choose one." in response.content.decode()
    assert not Task.objects.exists()
    # when they choose Mia and save
    saved = client.post(url, {**typed, "assignee__q": "mi", "assignee": mia.pk})
    # then the task is created with her as the assignee
    assert saved.status_code == 302
    assert Task.objects.get().assignee == mia


def test_a_plan_form_finds_a_goal(client, signed_in, org):
    # given an executive and initiatives
    signed_in(Role.EXECUTIVE)
    checkout = InitiativeFactory(organization=org, title="Checkout revamp")
    InitiativeFactory(organization=org, title="Search tuning")
    # when they find "check" in the task's initiative picker
    response = client.post(
        org_url("task_create", org), {"title": "T", "initiative__q": "check", "_find": "initiative"}
    )
    # then only the matching initiative is offered beside the empty choice
    assert offered(response, "initiative") == ["", str(checkout.pk)]


def test_another_organizations_id_gets_the_fields_error_and_changes_nothing(
    client, signed_in, org, other_org
):
    # given an executive, and a person of another organization
    signed_in(Role.EXECUTIVE)
    stranger = PersonFactory(organization=other_org, name="Stranger")
    # when a task is posted with that person as its assignee (a forged id)
    response = client.post(
        org_url("task_create", org), {"title": "T", "status": "todo", "assignee": stranger.pk}
    )
    # then the assignee field says it is not a valid choice, and nothing is created
    assert response.status_code == 400
    assert response.context["form"].errors["assignee"] == [INVALID]
    assert not Task.objects.exists()


def test_the_allocation_form_finds_a_person_of_the_initiatives_team_first(client, org, team_setup):
    # given a team's initiative, and its lead
    setup = team_setup(tasks=0)
    member = person_of(setup.member)
    outsider = PersonFactory(organization=org, name=f"{member.name} outside")
    client.force_login(setup.lead.user)
    url = org_url("allocation_create", org) + f"?initiative={setup.initiative.pk}"
    # when they find the member by name, with the hours already typed
    response = client.post(
        url,
        {
            "initiative": setup.initiative.pk,
            "hours_per_week": "12",
            "person__q": member.name,
            "_find": "person",
        },
    )
    # then the member (exact, of the team) comes before the outsider; the initiative and hours stay
    assert response.status_code == 200
    assert offered(response, "person") == ["", str(member.pk), str(outsider.pk)]
    assert offered(response, "initiative") == ["", str(setup.initiative.pk)]
    assert value_of(response, "hours_per_week") == "12"
    assert not Allocation.objects.exists()


def test_the_feedback_form_finds_an_objective(client, signed_in, org):
    # given a member and objectives
    signed_in(Role.MEMBER)
    grow = ObjectiveFactory(organization=org, title="Grow revenue")
    ObjectiveFactory(organization=org, title="Cut costs")
    # when they find "grow" in "About objective" while writing a blocker
    response = client.post(
        org_url("feedback_create", org),
        {"kind": "blocker", "text": "The sandbox is down", "objective__q": "grow", "_find": "objective"},
    )
    # then the objective is offered, the text kept, and nothing raised
    assert response.status_code == 200
    assert offered(response, "objective") == ["", str(grow.pk)]
    assert "The sandbox is down" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_a_settings_form_finds_a_lead_and_a_parent_team(client, signed_in, org):
    # given an admin, a team with people, and other teams
    signed_in(Role.ADMIN)
    sales = TeamFactory(organization=org, name="Sales")
    TeamFactory(organization=org, name="Product")
    ana = PersonFactory(organization=org, name="Ana Diaz", team=sales)
    url = org_url("settings_team_edit", org, pk=TeamFactory(organization=org, name="North").pk)
    # when they find the lead, and then the parent team
    lead = client.post(url, {"name": "North", "lead__q": "ana", "_find": "lead"})
    parent = client.post(url, {"name": "North", "parent__q": "sal", "_find": "parent"})
    # then each picker offers its match (and its empty choice); nothing changed
    assert offered(lead, "lead") == ["", str(ana.pk)]
    assert offered(parent, "parent") == ["", str(sales.pk)]
    assert Team.objects.get(name="North").lead_id is None


def test_the_bulk_link_finds_a_goal_and_keeps_the_tasks_checked(client, org, team_setup):
    # given a team's tasks, its lead, and goals (one achieved: not offered for linking work)
    setup = team_setup(tasks=3)
    achieved = ObjectiveFactory(organization=org, title="Platform legacy", status=ObjectiveStatus.ACHIEVED)
    client.force_login(setup.lead.user)
    # when the lead checks two tasks and finds "platform" in the goal picker
    response = client.post(
        org_url("tasks_bulk_link", org, pk=setup.team.pk),
        {"tasks": [task.pk for task in setup.tasks[:2]], "goal__q": "platform", "_find": "goal"},
    )
    # then the workspace comes back with the open goals found, the two tasks still checked, nothing linked
    page = response.content.decode()
    assert response.status_code == 200
    assert offered(response, "goal") == [
        "", f"initiative:{setup.initiative.pk}", f"objective:{setup.objective.pk}",
    ]  # fmt: skip
    assert f"objective:{achieved.pk}" not in page
    for task in setup.tasks[:2]:
        assert re.search(rf'value="{task.pk}" id="select-task-{task.pk}" checked', page)
    assert not re.search(rf'value="{setup.tasks[2].pk}" id="select-task-{setup.tasks[2].pk}" checked', page)
    assert not Task.objects.filter(initiative__isnull=False).exists()


def test_the_bulk_link_refuses_a_goal_it_does_not_offer(client, org, team_setup):
    # given an achieved objective (work is not linked to it from here)
    setup = team_setup(tasks=1)
    achieved = ObjectiveFactory(organization=org, title="Old", status=ObjectiveStatus.ACHIEVED)
    client.force_login(setup.lead.user)
    # when its id is posted anyway
    response = client.post(
        org_url("tasks_bulk_link", org, pk=setup.team.pk),
        {"tasks": [setup.tasks[0].pk], "goal": f"objective:{achieved.pk}"},
    )
    # then the goal field says so, and nothing is linked
    assert response.status_code == 400
    assert response.context["bulk_form"].errors["goal"] == [INVALID]
    assert Task.objects.get().objective_id is None


def test_the_workspace_assignee_filter_finds_people_and_keeps_anyone_and_nobody(client, org, team_setup):
    # given a team with its lead and member
    setup = team_setup(tasks=1)
    member = person_of(setup.member)
    client.force_login(setup.lead.user)
    # when the assignee filter's Find is pressed with the member's name (a GET form)
    response = client.get(
        org_url("team_workspace", org, pk=setup.team.pk),
        {"assignee__q": member.name, "_find": "assignee", "status": "todo"},
    )
    # then "Anyone", "Nobody" and the member are offered; the other filters still apply
    assert response.status_code == 200
    assert offered(response, "assignee") == ["", "none", str(member.pk)]
    assert '<option value="todo" selected>' in response.content.decode()


def test_the_alignment_link_finds_a_goal_on_a_page_of_its_own(client, signed_in, scored):
    # given an executive on the worked example
    signed_in(Role.EXECUTIVE, scored.org)
    url = org_url("task_link", scored.org, pk=scored.x5.pk)
    # when the row's Find is pressed with the title of c1
    response = client.post(url, {"goal__q": scored.c1.title, "_find": "goal", "next": "/somewhere/"})
    # then the link form comes back on its own page with c1 offered, the way back kept, nothing linked
    assert response.status_code == 200
    assert offered(response, "goal")[:2] == ["", f"objective:{scored.c1.pk}"]
    assert 'name="next" value="/somewhere/"' in response.content.decode()
    scored.x5.refresh_from_db()
    assert (scored.x5.objective_id, scored.x5.initiative_id) == (None, None)


def test_the_alignment_link_refuses_a_goal_that_is_not_live(client, signed_in, scored):
    # given a cancelled objective (r3)
    signed_in(Role.EXECUTIVE, scored.org)
    # when a task is linked to it anyway
    response = client.post(
        org_url("task_link", scored.org, pk=scored.x5.pk), {"goal": f"objective:{scored.r3.pk}"}
    )
    # then the goal field says it is not a valid choice, and nothing changes
    assert response.status_code == 400
    assert response.context["form"].errors["goal"] == [INVALID]
    scored.x5.refresh_from_db()
    assert scored.x5.objective_id is None


def test_pressing_find_with_nothing_typed_lists_the_first_matches(client, signed_in, org):
    # given 25 people
    signed_in(Role.EXECUTIVE)
    people = [PersonFactory(organization=org, name=f"Person {number:02d}") for number in range(25)]
    # when Find is pressed with an empty box
    response = client.post(
        org_url("task_create", org), {"title": "T", "assignee__q": "", "_find": "assignee"}
    )
    # then the empty choice and the first 20 by name are offered, and the page says to type more
    assert offered(response, "assignee") == ["", *(str(person.pk) for person in people[:20])]
    assert "The first 20 matches are in the list: type more to narrow them." in response.content.decode()


def test_the_alignment_team_filter_finds_a_team_and_keeps_the_other_filter(client, signed_in, scored):
    # given a lead on the worked example's alignment page
    signed_in(Role.LEAD, scored.org)
    # when the team filter's Find is pressed with "t1", the work filtered to orphans (a GET form)
    response = client.get(
        org_url("alignment", scored.org), {"team__q": "t1", "_find": "team", "class": "orphan"}
    )
    # then the team is offered beside "All teams", and the orphan filter still applies
    assert response.status_code == 200
    assert offered(response, "team") == ["", str(scored.t1.pk)]
    assert response.context["task_class"] == "orphan"
