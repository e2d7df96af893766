"""A team's workspace: who sees it, what it shows (tasks, staffing, check-ins due), and queries that
do not grow with the team."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Role
from objectives.models import TaskStatus
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)
from tests.web.conftest import ROLES, org_url, query_count
from tests.web.teams.conftest import snapshot_with_coverage

pytestmark = pytest.mark.django_db


# --- the workspace: who sees it ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_a_team_workspace(client, signed_in, org, team_setup, role):
    # given a team with tasks
    setup = team_setup()
    signed_in(role)
    # when any member opens its workspace
    response = client.get(org_url("team_workspace", org, pk=setup.team.pk))
    # then they see its tasks
    assert response.status_code == 200
    assert "Platform task 0" in response.content.decode()


def test_another_organizations_team_is_a_404(client, signed_in, org, other_org):
    # given a team of the other organization
    elsewhere = TeamFactory(organization=other_org)
    signed_in(Role.ADMIN)
    # when an admin of this organization opens it by id
    response = client.get(org_url("team_workspace", org, pk=elsewhere.pk))
    # then it is not found
    assert response.status_code == 404


def test_a_viewer_sees_no_checkboxes_nor_import_nor_staffing_actions(client, signed_in, org, team_setup):
    # given a team, and a viewer
    setup = team_setup()
    signed_in(Role.VIEWER)
    # when the viewer opens the workspace
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    # then nothing offers a change
    assert 'type="checkbox"' not in page
    assert "Link selected tasks" not in page
    assert "Import tasks" not in page
    assert "Add an allocation" not in page


def test_a_member_may_select_only_their_own_tasks(client, org, team_setup):
    # given a team whose first task is the member's
    setup = team_setup(tasks=3)
    client.force_login(setup.member.user)
    # when the member opens the workspace
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    # then only their task has a checkbox, and they may not import nor staff
    assert page.count('type="checkbox"') == 1
    assert f'value="{setup.tasks[0].pk}"' in page
    assert "Import tasks" not in page
    assert "Add an allocation" not in page


def test_the_lead_of_another_team_may_not_staff_this_one(client, org, team_setup):
    # given two teams, each with its own lead
    mine, theirs = team_setup(name="Mine"), team_setup(name="Theirs")
    client.force_login(mine.lead.user)
    # when the lead of the first opens each workspace
    own = client.get(org_url("team_workspace", org, pk=mine.team.pk)).content.decode()
    other = client.get(org_url("team_workspace", org, pk=theirs.team.pk)).content.decode()
    # then only their own team's initiatives offer an allocation
    assert "Add an allocation" in own
    assert "Add an allocation" not in other


# --- the workspace: what it shows -----------------------------------------------------------------


def test_each_task_shows_its_goal_or_unlinked_in_words(client, signed_in, org, team_setup):
    # given a team with a task linked to an initiative, one to an objective and one unlinked
    setup = team_setup(tasks=3)
    setup.tasks[0].initiative = setup.initiative
    setup.tasks[0].save()
    setup.tasks[1].objective = setup.objective
    setup.tasks[1].save()
    signed_in(Role.VIEWER)
    # when the workspace is shown
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()

    # then each row names its goal, with a link to it, or says "Unlinked"
    def row(task):
        start = page.index(f'id="task-{task.pk}"')
        return page[start : page.index("</tr>", start)]

    assert org_url("initiative_detail", org, pk=setup.initiative.pk) in row(setup.tasks[0])
    assert org_url("objective_detail", org, pk=setup.objective.pk) in row(setup.tasks[1])
    assert "Unlinked" in row(setup.tasks[2])


def test_only_the_teams_own_tasks_are_listed(client, signed_in, org, other_org, team_setup):
    # given a task of another team, one with no team, and one of another organization
    setup = team_setup(tasks=1)
    TaskFactory(organization=org, team=TeamFactory(organization=org), title="Other team's task")
    TaskFactory(organization=org, title="Task of no team")
    TaskFactory(organization=other_org, title="Other organization's task")
    signed_in(Role.VIEWER)
    # when the workspace is shown
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    # then only the team's task is there
    assert "Platform task 0" in page
    assert "Other team" not in page
    assert "no team" not in page
    assert "Other organization" not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "blocked"}, ["Blocked one"], ["Linked one", "Mine"]),
        ({"link": "unlinked"}, ["Blocked one", "Mine"], ["Linked one"]),
        ({"link": "linked"}, ["Linked one"], ["Blocked one", "Mine"]),
        ({"assignee": "ASSIGNEE"}, ["Mine"], ["Blocked one", "Linked one"]),
        ({"assignee": "none"}, ["Blocked one", "Linked one"], ["Mine"]),
        ({"q": "BLOCKED"}, ["Blocked one"], ["Linked one", "Mine"]),
    ],
)
def test_the_filters_narrow_the_tasks(client, signed_in, org, team_setup, query, shown, hidden):
    # given three tasks: blocked, linked, and assigned to the member
    setup = team_setup(tasks=0)
    tasks = {
        "Blocked one": TaskFactory(
            organization=org, team=setup.team, title="Blocked one", status=TaskStatus.BLOCKED
        ),
        "Linked one": TaskFactory(
            organization=org, team=setup.team, title="Linked one", initiative=setup.initiative
        ),
        "Mine": TaskFactory(organization=org, team=setup.team, title="Mine", assignee=setup.member_person),
    }
    signed_in(Role.VIEWER)
    # when the workspace is filtered
    query = {
        key: str(setup.member_person.pk) if value == "ASSIGNEE" else value for key, value in query.items()
    }
    response = client.get(org_url("team_workspace", org, pk=setup.team.pk), query)
    # then only the matching tasks are listed
    page = response.content.decode()
    assert all(f'id="task-{tasks[title].pk}"' in page for title in shown)
    assert not any(f'id="task-{tasks[title].pk}"' in page for title in hidden)
    assert "match the filters" in page


def test_a_filter_sent_by_htmx_answers_only_the_task_panel(client, signed_in, org, team_setup):
    # given a team
    setup = team_setup()
    signed_in(Role.LEAD)
    # when the filter form asks for the task panel with htmx
    response = client.get(
        org_url("team_workspace", org, pk=setup.team.pk),
        {"status": "todo"},
        headers={"HX-Request": "true", "HX-Target": "team-tasks"},
    )
    # then the answer is the panel alone
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="team-tasks"')
    assert "<html" not in page


def test_staffing_shows_each_allocation_and_the_coverage_of_the_latest_snapshot(
    client, signed_in, org, team_setup
):
    # given the team's initiative with an allocation and a snapshot covering it at 40%
    setup = team_setup()
    AllocationFactory(
        organization=org, initiative=setup.initiative, person=setup.member_person, hours_per_week=Decimal(12)
    )
    snapshot_with_coverage(org, {setup.initiative: 0.4})
    signed_in(Role.VIEWER)
    # when the workspace is shown
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    # then the allocation and the coverage are there, in numbers and words, in a fragment that
    # refreshes itself when new scores land
    staffing = page[page.index('id="team-staffing"') :]
    assert setup.member_person.name in staffing
    assert ">12<" in staffing
    assert "Coverage: 40%" in staffing
    assert "Under-covered" in staffing
    assert (
        'hx-trigger="scores-updated from:body"'
        in page[page.index('<section id="team-staffing"') - 10 :][:400]
    )


def test_an_unstaffed_initiative_says_so(client, signed_in, org, team_setup):
    setup = team_setup()
    signed_in(Role.LEAD)
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    assert "it is unstaffed" in page


def test_check_ins_due_lists_the_teams_items_without_a_fresh_check_in(client, signed_in, org, team_setup):
    # given the team's initiative with a fresh check-in, its objective checked in long ago through a
    # key result, and a second initiative never checked in
    setup = team_setup()
    today = timezone.localdate()
    CheckInFactory(organization=org, initiative=setup.initiative, date=today - timedelta(days=2))
    key_result = KeyResultFactory(organization=org, objective=setup.objective)
    CheckInFactory(organization=org, key_result=key_result, date=today - timedelta(days=40))
    never = InitiativeFactory(organization=org, team=setup.team, title="Never checked")
    signed_in(Role.MEMBER)
    # when the workspace is shown
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    due = page[page.index('id="checkins-heading"') :]
    # then the stale objective (with its key result to check in on) and the never checked-in
    # initiative are due; the freshly checked-in initiative is not
    assert f"?key_result={key_result.pk}" in due
    assert "Overdue" in due
    assert f"?initiative={never.pk}" in due
    assert "never checked in" in due
    assert f"?initiative={setup.initiative.pk}" not in due


def test_check_ins_due_leave_out_other_teams_and_inactive_items(client, signed_in, org, team_setup):
    # given a stale objective of another team and a proposed initiative of this one
    setup = team_setup()
    CheckInFactory(organization=org, initiative=setup.initiative)
    CheckInFactory(organization=org, objective=setup.objective)
    ObjectiveFactory(organization=org, team=TeamFactory(organization=org), title="Elsewhere")
    InitiativeFactory(organization=org, team=setup.team, status="proposed", title="Only proposed")
    signed_in(Role.VIEWER)
    # when the workspace is shown
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    # then nothing is due
    assert "No check-in is due" in page


def test_the_workspace_runs_as_many_queries_for_a_team_three_times_larger(client, org, team_setup):
    # given a team with tasks, initiatives with allocations, key results and check-ins, and scores
    setup = team_setup(tasks=0)
    client.force_login(setup.lead.user)

    def grow(count: int) -> None:
        for _ in range(count):
            person = PersonFactory(organization=org, team=setup.team)
            objective = ObjectiveFactory(organization=org, team=setup.team, owner=person)
            KeyResultFactory(organization=org, objective=objective)
            initiative = InitiativeFactory(
                organization=org, team=setup.team, objective=objective, owner=person
            )
            AllocationFactory(organization=org, initiative=initiative, person=person)
            CheckInFactory(
                organization=org, initiative=initiative, date=timezone.localdate() - timedelta(days=30)
            )
            TaskFactory(organization=org, team=setup.team, initiative=initiative, assignee=person)
            TaskFactory(organization=org, team=setup.team, objective=objective)
            TaskFactory(organization=org, team=setup.team)
        snapshot_with_coverage(
            org, dict.fromkeys(setup.team.initiatives.all(), 0.5), alignment={setup.team: 50.0}
        )

    url = org_url("team_workspace", org, pk=setup.team.pk)
    grow(3)
    client.get(url)  # the session's first write is not the page's
    small = query_count(client, url)
    # when the team holds three times as much
    grow(6)
    large = query_count(client, url)
    # then the page runs the same queries, and a bounded number of them
    assert small == large
    assert large <= 30


def test_an_item_whose_last_check_in_stops_counting_tomorrow_is_due_today(client, signed_in, org, team_setup):
    # given the team's initiative checked in on the first day of the cadence window (14 days), and its
    # objective checked in the day after
    setup = team_setup()
    today = timezone.localdate()
    CheckInFactory(organization=org, initiative=setup.initiative, date=today - timedelta(days=13))
    CheckInFactory(organization=org, objective=setup.objective, date=today - timedelta(days=12))
    signed_in(Role.VIEWER)
    # when the workspace is shown
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    due = page[page.index('id="checkins-heading"') :]
    # then the initiative is due today (not overdue), and the objective is not due yet
    assert "Due today" in due
    assert "Overdue" not in due
    assert org_url("initiative_detail", org, pk=setup.initiative.pk) in due
    assert org_url("objective_detail", org, pk=setup.objective.pk) not in due


def test_another_organizations_person_as_the_assignee_filter_lists_nothing_and_says_why(
    client, signed_in, org, other_org, team_setup
):
    # given a person of the other organization
    setup = team_setup()
    foreign = PersonFactory(organization=other_org)
    signed_in(Role.VIEWER)
    # when the workspace is filtered by them
    page = client.get(
        org_url("team_workspace", org, pk=setup.team.pk), {"assignee": foreign.pk}
    ).content.decode()
    # then no task is listed, and the page says the filter could not be applied
    assert '<tr id="task-' not in page
    assert "These filters could not be applied" in page


def test_an_objective_due_without_key_results_offers_adding_one_only_to_who_may(client, org, team_setup):
    # given the team's objective, due and without key results
    setup = team_setup()
    add_link = org_url("key_result_create", org, objective_pk=setup.objective.pk)
    # when its lead and its member open the workspace
    client.force_login(setup.lead.user)
    as_lead = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    client.force_login(setup.member.user)
    as_member = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    # then only the lead is offered to add a key result to check in on
    assert add_link in as_lead
    assert add_link not in as_member
    assert "No key result to check in on." in as_member


def test_the_workspace_shows_the_teams_alignment_in_numbers_and_words(client, signed_in, org, team_setup):
    # given a team whose latest alignment score is 75 (30 h of 40 h aligned)
    setup = team_setup()
    snapshot_with_coverage(org, {}, alignment={setup.team: 75.0})
    signed_in(Role.MEMBER)
    # when its workspace is shown
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    # then the score and its parts are there, in a fragment that refreshes itself with new scores
    fragment = page[page.index('<p id="team-alignment"') :]
    fragment = fragment[: fragment.index("</p>")]
    assert "Alignment: 75 / 100" in fragment
    assert "30 h of the 40 h of recent work" in fragment
    assert 'hx-trigger="scores-updated from:body"' in fragment


def test_a_team_not_scored_yet_says_so(client, signed_in, org, team_setup):
    setup = team_setup()
    signed_in(Role.MEMBER)
    page = client.get(org_url("team_workspace", org, pk=setup.team.pk)).content.decode()
    assert "No alignment score yet for Platform" in page
