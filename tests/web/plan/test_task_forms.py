"""Task forms: who may use them, what a save records, what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.models import Task
from objectives.services import task_update
from tests.conftest import person_of
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory
from tests.web.conftest import org_url, query_count
from tests.web.plan.conftest import ROLES

pytestmark = pytest.mark.django_db


def task_form(**overrides):
    data = {
        "title": "Write the migration",
        "initiative": "",
        "objective": "",
        "team": "",
        "assignee": "",
        "status": "todo",
        "effort_hours": "",
        "due_date": "",
        "external_key": "",
        "external_url": "",
    }
    return data | {key: str(value) for key, value in overrides.items()}


@pytest.mark.parametrize("role", ROLES)
def test_every_role_but_the_viewer_may_create_tasks(client, sign_in_as, org, role):
    # given a member of each role
    sign_in_as(role)
    # when they open the new task form
    response = client.get(org_url("task_create", org))
    # then only a viewer is refused
    assert response.status_code == (403 if role == Role.VIEWER else 200)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.ADMIN, 200), (Role.EXECUTIVE, 200), (Role.LEAD, 200), (Role.MEMBER, 403), (Role.VIEWER, 403)],
)
def test_a_teams_task_is_changed_by_its_lead_but_not_by_a_member_it_is_not_assigned_to(
    client, sign_in_as, org, task, role, expected
):
    # given a task of the lead's team, assigned to nobody
    sign_in_as(role)
    # when each role opens its edit and delete forms
    statuses = [
        client.get(org_url(name, org, pk=task.pk)).status_code for name in ("task_edit", "task_delete")
    ]
    # then the rule table decides
    assert statuses == [expected, expected]


def test_a_member_changes_their_own_task_but_cannot_give_it_away(client, sign_in_as, member_of, org, task):
    # given a member with a task assigned to them, and a colleague
    member = sign_in_as(Role.MEMBER)
    me = person_of(member)
    colleague = person_of(member_of(Role.MEMBER))
    task.assignee = me
    task.save()
    url = org_url("task_edit", org, pk=task.pk)
    # when they change its status, then try to assign it to the colleague
    kept = {"title": task.title, "initiative": task.initiative_id}
    saved = client.post(url, task_form(**kept, assignee=me.pk, status="in_progress", expected_version=1))
    refused = client.post(url, task_form(**kept, assignee=colleague.pk, status="done", expected_version=2))
    # then their change is saved, and giving it away is refused beside the assignee
    assert saved.status_code == 302
    assert refused.status_code == 400
    assert "keep yourself as the assignee" in refused.context["form"].errors["assignee"][0]
    task.refresh_from_db()
    assert (task.status, task.assignee) == ("in_progress", me)


def test_a_new_task_is_assigned_to_its_creator_and_preset_from_the_address(
    client, sign_in_as, org, initiative
):
    # given a member starting a task from an initiative's page
    member = sign_in_as(Role.MEMBER)
    # when they open the form with ?initiative= and save it
    form = client.get(org_url("task_create", org) + f"?initiative={initiative.pk}").context["form"]
    response = client.post(
        org_url("task_create", org),
        task_form(
            initiative=initiative.pk, assignee=person_of(member).pk, effort_hours="3.5", due_date="2026-12-01"
        ),
    )
    # then the form offered the initiative, its team and themselves; the task is saved and shown in context
    assert (form["initiative"].value(), form["team"].value(), form["assignee"].value()) == (
        initiative.pk,
        initiative.team_id,
        person_of(member).pk,
    )
    task = Task.objects.for_org(org).get()
    assert response["Location"] == org_url("initiative_detail", org, pk=initiative.pk)
    assert (task.initiative, task.effort_hours, str(task.due_date)) == (
        initiative,
        Decimal("3.5"),
        "2026-12-01",
    )


def test_the_team_and_objective_presets_are_read_from_the_address(client, sign_in_as, org, objective, theirs):
    # given a lead starting a task from a team's workspace and an objective's page
    sign_in_as(Role.LEAD)
    # when they open the form with ?objective=&team=
    form = client.get(org_url("task_create", org) + f"?objective={objective.pk}&team={theirs.pk}").context[
        "form"
    ]
    # then both are chosen already
    assert (form["objective"].value(), form["team"].value()) == (objective.pk, theirs.pk)


def test_a_task_links_to_one_goal_and_its_external_key_is_unique(
    client, sign_in_as, org, objective, initiative
):
    # given an executive, and a task imported with a key
    sign_in_as(Role.EXECUTIVE)
    TaskFactory(organization=org, external_key="PAY-1")
    # when they post a task with both goals and the same key
    response = client.post(
        org_url("task_create", org),
        task_form(
            initiative=initiative.pk, objective=objective.pk, external_key="PAY-1", external_url="not a url"
        ),
    )
    # then each error is beside its field and nothing is created
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["external_key"] == ["A task with this external key already exists."]
    assert errors["external_url"] == ["Enter a valid URL."]
    assert Task.objects.for_org(org).count() == 1


def test_a_task_cannot_link_to_another_organizations_initiative(client, sign_in_as, org, other_org):
    # given an initiative of another organization
    sign_in_as(Role.MEMBER)
    elsewhere = InitiativeFactory(organization=other_org)
    # when a task is posted with its id
    response = client.post(org_url("task_create", org), task_form(initiative=elsewhere.pk))
    # then the field refuses it and nothing is created
    assert response.status_code == 400
    assert response.context["form"].errors["initiative"]
    assert not Task.objects.exists()


def test_another_organizations_task_is_not_found(client, sign_in_as, org, other_org):
    # given a task of another organization
    sign_in_as(Role.ADMIN)
    elsewhere = TaskFactory(organization=other_org, title="Theirs")
    # when it is edited or deleted from here
    edited = client.post(org_url("task_edit", org, pk=elsewhere.pk), task_form(expected_version=1))
    deleted = client.post(org_url("task_delete", org, pk=elsewhere.pk), {"expected_version": 1})
    # then it is not found and stays as it was
    assert (edited.status_code, deleted.status_code) == (404, 404)
    elsewhere.refresh_from_db()
    assert (elsewhere.title, elsewhere.version) == ("Theirs", 1)


def test_a_stale_task_edit_keeps_the_input(client, sign_in_as, org, task, executive):
    # given a task changed by someone else since the form was opened
    sign_in_as(Role.EXECUTIVE)
    task_update(actor=executive, task=task, data={"status": "blocked"})
    # when the form is saved
    response = client.post(
        org_url("task_edit", org, pk=task.pk),
        task_form(title="My wording", initiative=task.initiative_id, expected_version=1),
    )
    # then it is refused with the input kept, and their change stays
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    assert 'value="My wording"' in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.status) == ("Fix the cart", "blocked")


def test_a_task_form_asks_no_reason_and_its_deletion_goes_back_to_its_goal(
    client, sign_in_as, org, initiative, task
):
    # given the lead of the task's team
    sign_in_as(Role.LEAD)
    # when they open the task's forms and delete it
    edit = client.get(org_url("task_edit", org, pk=task.pk))
    confirm = client.get(org_url("task_delete", org, pk=task.pk))
    response = client.post(org_url("task_delete", org, pk=task.pk), {"expected_version": 1})
    # then no reason is asked (tasks keep no plan history), and it is gone
    assert "reason" not in edit.context["form"].fields
    assert "reason" not in confirm.context["form"].fields
    assert response["Location"] == org_url("initiative_detail", org, pk=initiative.pk)
    assert not Task.objects.for_org(org).exists()


def test_the_task_form_runs_as_many_queries_for_many_rows_as_for_few(
    client, sign_in_as, org, task, objective
):
    # given an executive, and an organization that then grows threefold
    sign_in_as(Role.EXECUTIVE)
    url = org_url("task_edit", org, pk=task.pk)
    client.get(url)  # the session's first request does one-off work

    def grow(count):
        for _ in range(count):
            InitiativeFactory(organization=org, objective=objective)
            ObjectiveFactory(organization=org, parent=objective)

    grow(5)
    few = query_count(client, url)
    grow(10)
    many = query_count(client, url)
    # then the form's queries do not grow with the rows it offers
    assert few == many
    assert many <= 20


def test_people_who_left_are_offered_only_where_already_chosen(client, sign_in_as, org, task):
    # given a person who left, assigned to one task
    sign_in_as(Role.EXECUTIVE)
    gone = PersonFactory(organization=org, name="Gone", active=False)
    task.assignee = gone
    task.save()
    # when the new task form and that task's edit form are opened
    new = client.get(org_url("task_create", org)).context["form"].fields["assignee"].queryset
    edit = client.get(org_url("task_edit", org, pk=task.pk)).context["form"].fields["assignee"].queryset
    # then they are offered only where they are already the assignee
    assert gone not in new
    assert gone in edit


def test_a_preset_of_another_organization_is_ignored(client, sign_in_as, org, other_org):
    # given an initiative of another organization
    sign_in_as(Role.MEMBER)
    elsewhere = InitiativeFactory(organization=other_org, title="Theirs")
    # when the new task form is opened with its id
    response = client.get(org_url("task_create", org) + f"?initiative={elsewhere.pk}")
    # then nothing of it is shown or chosen
    assert response.context["form"]["initiative"].value() is None
    assert "Theirs" not in response.content.decode()


def test_a_lead_changes_a_task_of_another_team_only_when_it_is_assigned_to_them(
    client, sign_in_as, org, their_objective
):
    # given a lead, one task of another team assigned to them and one that is not
    lead = sign_in_as(Role.LEAD)
    theirs_but_mine = TaskFactory(organization=org, objective=their_objective, assignee=person_of(lead))
    not_mine = TaskFactory(organization=org, objective=their_objective)
    # when they open both edit forms
    mine = client.get(org_url("task_edit", org, pk=theirs_but_mine.pk))
    other = client.get(org_url("task_edit", org, pk=not_mine.pk))
    # then their own task opens and the other team's is refused
    assert (mine.status_code, other.status_code) == (200, 403)
