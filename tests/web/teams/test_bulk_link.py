"""Linking many tasks of a team to one goal at once: all of them, or none with the reason."""

from __future__ import annotations

import pytest

from execgap.models import Role
from objectives.models import Task
from tests.factories import InitiativeFactory, ObjectiveFactory, TaskFactory, TeamFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def links(tasks):
    """Each task's (initiative, objective) as stored now."""
    return list(
        Task.objects.filter(pk__in=[task.pk for task in tasks])
        .order_by("pk")
        .values_list("initiative", "objective")
    )


def post(client, org, team, tasks, goal, query="", **kwargs):
    url = org_url("tasks_bulk_link", org, pk=team.pk) + (f"?{query}" if query else "")
    return client.post(url, {"tasks": [task.pk for task in tasks], "goal": goal}, **kwargs)


def test_a_lead_links_the_selected_tasks_and_returns_to_the_same_filtered_page(client, org, team_setup):
    # given a team with three unlinked tasks, and its lead
    setup = team_setup(tasks=3)
    client.force_login(setup.lead.user)
    # when the lead links two of them to the team's initiative from a filtered workspace
    response = post(
        client, org, setup.team, setup.tasks[:2], f"initiative:{setup.initiative.pk}", "link=unlinked"
    )
    # then both are linked, the third is not, and the workspace comes back with the same filter
    assert links(setup.tasks) == [(setup.initiative.pk, None), (setup.initiative.pk, None), (None, None)]
    assert response.status_code == 302
    assert response["Location"] == org_url("team_workspace", org, pk=setup.team.pk) + "?link=unlinked"
    assert "Linked 2 tasks to" in client.get(response["Location"]).content.decode()


def test_tasks_are_linked_to_an_objective_too(client, org, team_setup):
    setup = team_setup(tasks=2)
    client.force_login(setup.lead.user)
    post(client, org, setup.team, setup.tasks, f"objective:{setup.objective.pk}")
    assert links(setup.tasks) == [(None, setup.objective.pk)] * 2


def test_with_htmx_the_rows_update_in_place_and_the_scores_status_follows(client, org, team_setup):
    # given a team and its lead
    setup = team_setup(tasks=2)
    client.force_login(setup.lead.user)
    # when the lead links a task with htmx
    response = post(
        client,
        org,
        setup.team,
        setup.tasks[:1],
        f"initiative:{setup.initiative.pk}",
        headers={"HX-Request": "true"},
    )
    # then the answer is the task panel with the task's new goal, and the scores status out of band
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="team-tasks"')
    row = page[page.index(f'id="task-{setup.tasks[0].pk}"') :]
    assert org_url("initiative_detail", org, pk=setup.initiative.pk) in row[: row.index("</tr>")]
    assert "Linked 1 task to" in page
    assert 'id="scores-status"' in page
    assert 'hx-swap-oob="true"' in page
    assert "Recomputing the scores" in page


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ADMIN])
def test_executives_and_admins_link_any_task(client, signed_in, org, team_setup, role):
    setup = team_setup(tasks=2)
    signed_in(role)
    response = post(client, org, setup.team, setup.tasks, f"initiative:{setup.initiative.pk}")
    assert response.status_code == 302
    assert links(setup.tasks) == [(setup.initiative.pk, None)] * 2


def test_a_member_links_their_own_task(client, org, team_setup):
    setup = team_setup(tasks=2)
    client.force_login(setup.member.user)
    post(client, org, setup.team, setup.tasks[:1], f"initiative:{setup.initiative.pk}")
    assert links(setup.tasks) == [(setup.initiative.pk, None), (None, None)]


def test_one_refused_task_links_none_and_says_which(client, org, team_setup):
    # given a member, their own task and a task of someone else
    setup = team_setup(tasks=2)
    client.force_login(setup.member.user)
    # when they try to link both
    response = post(client, org, setup.team, setup.tasks, f"initiative:{setup.initiative.pk}")
    # then nothing is linked, and the page says which task they may not change, keeping the choice
    page = response.content.decode()
    assert response.status_code == 400
    assert links(setup.tasks) == [(None, None), (None, None)]
    assert "No task was linked" in page
    assert f"may not change 1 of the selected tasks (“{setup.tasks[1].title}”)" in page
    assert f'value="initiative:{setup.initiative.pk}" selected' in page
    assert f'value="{setup.tasks[0].pk}" id="select-task-{setup.tasks[0].pk}" checked' in page


def test_with_htmx_a_refusal_answers_the_panel_with_the_error(client, org, team_setup):
    setup = team_setup(tasks=2)
    client.force_login(setup.member.user)
    response = post(
        client,
        org,
        setup.team,
        setup.tasks,
        f"initiative:{setup.initiative.pk}",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert response.content.decode().lstrip().startswith('<div id="team-tasks"')
    assert links(setup.tasks) == [(None, None), (None, None)]


def test_the_lead_of_another_team_links_none_of_this_teams_tasks(client, org, team_setup):
    # given two teams; the lead of the second
    setup, other = team_setup(name="First"), team_setup(name="Second")
    client.force_login(other.lead.user)
    # when they try to link the first team's tasks
    response = post(client, org, setup.team, setup.tasks, f"initiative:{setup.initiative.pk}")
    # then nothing is linked
    assert response.status_code == 400
    assert links(setup.tasks) == [(None, None)] * 3


def test_a_viewer_may_not_link(client, signed_in, org, team_setup):
    setup = team_setup(tasks=1)
    signed_in(Role.VIEWER)
    response = post(client, org, setup.team, setup.tasks, f"initiative:{setup.initiative.pk}")
    assert response.status_code == 403
    assert links(setup.tasks) == [(None, None)]


def test_another_organizations_task_is_a_field_error_and_nothing_changes(client, org, other_org, team_setup):
    # given a task of the other organization posted with one of the team's
    setup = team_setup(tasks=1)
    foreign = TaskFactory(organization=other_org)
    client.force_login(setup.lead.user)
    # when the lead posts both
    response = post(client, org, setup.team, [setup.tasks[0], foreign], f"initiative:{setup.initiative.pk}")
    # then it is refused as not one of the team's tasks, and nothing changed
    assert response.status_code == 400
    assert f"Task {foreign.pk} is not one of this team" in response.content.decode()
    assert links([setup.tasks[0], foreign]) == [(None, None)] * 2


def test_another_teams_task_is_a_field_error(client, org, team_setup):
    setup = team_setup(tasks=1)
    elsewhere = TaskFactory(organization=org, team=TeamFactory(organization=org))
    client.force_login(setup.lead.user)
    response = post(client, org, setup.team, [setup.tasks[0], elsewhere], f"initiative:{setup.initiative.pk}")
    assert response.status_code == 400
    assert links([setup.tasks[0], elsewhere]) == [(None, None)] * 2


@pytest.mark.parametrize("kind", ["initiative", "objective"])
def test_another_organizations_goal_is_refused_and_nothing_changes(client, org, other_org, team_setup, kind):
    # given a goal of the other organization
    setup = team_setup(tasks=1)
    foreign = (InitiativeFactory if kind == "initiative" else ObjectiveFactory)(organization=other_org)
    client.force_login(setup.lead.user)
    # when the lead posts it as the goal
    response = post(client, org, setup.team, setup.tasks, f"{kind}:{foreign.pk}")
    # then the goal is refused beside its field and nothing changed
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert links(setup.tasks) == [(None, None)]


def test_no_task_selected_is_an_error(client, org, team_setup):
    setup = team_setup(tasks=1)
    client.force_login(setup.lead.user)
    response = post(client, org, setup.team, [], f"initiative:{setup.initiative.pk}")
    assert response.status_code == 400
    assert "Select at least one task." in response.content.decode()


def test_linking_is_a_post_only(client, org, team_setup):
    setup = team_setup(tasks=1)
    client.force_login(setup.lead.user)
    assert client.get(org_url("tasks_bulk_link", org, pk=setup.team.pk)).status_code == 405


def test_another_organizations_team_is_a_404(client, org, other_org, team_setup):
    setup = team_setup(tasks=1)
    foreign_team = TeamFactory(organization=other_org)
    client.force_login(setup.lead.user)
    response = post(client, org, foreign_team, setup.tasks, f"initiative:{setup.initiative.pk}")
    assert response.status_code == 404
    assert links(setup.tasks) == [(None, None)]


def test_a_member_of_another_organization_gets_a_404(client, signed_in, org, other_org, team_setup):
    setup = team_setup(tasks=1)
    signed_in(Role.ADMIN, other_org)
    response = post(client, org, setup.team, setup.tasks, f"initiative:{setup.initiative.pk}")
    assert response.status_code == 404
    assert links(setup.tasks) == [(None, None)]


def test_select_all_checks_every_task_of_the_page_the_member_may_link(client, org, team_setup):
    # given a member, their own task and two of someone else
    setup = team_setup(tasks=3)
    client.force_login(setup.member.user)
    # when they ask to select all on a filtered page
    url = org_url("team_workspace", org, pk=setup.team.pk)
    page = client.get(url, {"link": "unlinked", "select": "all"}).content.decode()
    # then only their own task is checked, the filter is kept in the linking form, and the selection
    # can be cleared
    assert page.count("checked aria-label") == 1
    assert f'value="{setup.tasks[0].pk}" id="select-task-{setup.tasks[0].pk}" checked' in page
    assert org_url("tasks_bulk_link", org, pk=setup.team.pk) + '?link=unlinked"' in page
    assert "Clear the selection" in page
