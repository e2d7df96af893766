"""The Django admin: scoped to the user's organizations, allowed by the role table, written by services."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from execgap.models import Membership, Role
from feedback.models import FeedbackItem
from objectives.models import KeyResult, Objective
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
    TaskFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"execgap", "objectives", "resources", "feedback"}


def _staff(membership: Membership) -> Membership:
    membership.user.is_staff = True
    membership.user.save(update_fields=["is_staff"])
    return membership


def _admin_models():
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _model_admin(model):
    return admin.site._registry[model]


def _request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _form_data(client, url: str, **changes) -> dict:
    """What the change form would post unchanged, with `changes` applied."""
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


@pytest.fixture
def plan(org):
    """One row of every model in `org`."""
    team = TeamFactory(organization=org, name="Platform")
    person = PersonFactory(organization=org, team=team, name="Priya")
    objective = ObjectiveFactory(organization=org, title="Reliable fleet", team=team, owner=person)
    initiative = InitiativeFactory(organization=org, title="Health v2", objective=objective, team=team)
    key_result = KeyResultFactory(organization=org, objective=objective)
    TaskFactory(organization=org, title="Add retries", initiative=initiative, assignee=person)
    AllocationFactory(organization=org, person=person, initiative=initiative)
    CheckInFactory(organization=org, objective=objective, author=person)
    FeedbackItemFactory(organization=org, initiative=initiative, author=person, text="Staging is down")
    RecognitionFactory(organization=org, initiative=initiative)
    return {"objective": objective, "initiative": initiative, "key_result": key_result, "team": team}


def test_every_changelist_and_add_form_renders_for_an_admin(client, admin, plan):
    # given an admin-role staff user
    client.force_login(_staff(admin).user)
    # when they open every changelist (and the add form where adding is possible)
    for model in _admin_models():
        # then each renders
        assert client.get(_url(model, "changelist")).status_code == 200, model
        model_admin = _model_admin(model)
        if model_admin.has_add_permission(_request_for(admin.user)):
            assert client.get(_url(model, "add")).status_code == 200, model
    # and a change form renders with the row's values
    objective = plan["objective"]
    assert "Reliable fleet" in client.get(_url(Objective, "change", objective.pk)).content.decode()


def test_a_viewer_sees_but_cannot_add_or_change(client, member_of, plan):
    # given a viewer-role staff user
    viewer = _staff(member_of(Role.VIEWER))
    client.force_login(viewer.user)
    objective = plan["objective"]
    # when they open the objectives and try to add or change one
    changelist = client.get(_url(Objective, "changelist"))
    add = client.get(_url(Objective, "add"))
    change = client.post(_url(Objective, "change", objective.pk), {"title": "Renamed", "status": "active"})
    # then they see the list, the add form is refused and nothing changes
    assert changelist.status_code == 200
    assert "Reliable fleet" in changelist.content.decode()
    assert add.status_code == 403
    assert change.status_code == 403
    objective.refresh_from_db()
    assert objective.title == "Reliable fleet"
    model_admin = _model_admin(Objective)
    request = _request_for(viewer.user)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, objective)
    assert not model_admin.has_delete_permission(request, objective)


def test_a_change_in_the_admin_goes_through_the_service_and_is_a_plan_revision(client, admin, plan):
    # given an admin-role staff user on an objective's change form
    client.force_login(_staff(admin).user)
    objective = plan["objective"]
    url = _url(Objective, "change", objective.pk)
    # when they change its weight and save
    response = client.post(url, _form_data(client, url, priority_weight="3"))
    # then it is saved as a revision by them, with a reason, and the version moves on
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.priority_weight == Decimal(3)
    assert objective.version == 2
    revision = objective.history.latest()
    assert revision.history_type == "~"
    assert revision.history_user == admin.user
    assert revision.history_change_reason == "Changed in the admin"
    objective.organization.refresh_from_db()
    assert objective.organization.scores_stale_since is not None


def test_an_object_added_in_the_admin_is_created_by_the_service(client, admin, org, plan):
    # given an admin-role staff user
    client.force_login(_staff(admin).user)
    # when they add an objective
    response = client.post(
        _url(Objective, "add"),
        {"organization": org.pk, "title": "Grow ARR", "status": "active", "priority_weight": "2"},
    )
    # then it exists in their organization with a creation revision
    assert response.status_code == 302
    created = Objective.objects.for_org(org).get(title="Grow ARR")
    assert created.history.get().history_change_reason == "Created in the admin"


def test_a_stale_edit_is_refused_with_a_message(client, admin, plan):
    # given a change form read at version 1, and someone else's change since
    client.force_login(_staff(admin).user)
    objective = plan["objective"]
    url = _url(Objective, "change", objective.pk)
    data = _form_data(client, url, title="Mine")
    Objective.objects.filter(pk=objective.pk).update(version=2, title="Theirs")
    # when the form is saved
    response = client.post(url, data, follow=True)
    # then nothing is overwritten and the user is told why
    assert response.status_code == 200
    objective.refresh_from_db()
    assert objective.title == "Theirs"
    assert any("changed by someone else" in str(m) for m in response.context["messages"])


def test_a_delete_in_the_admin_goes_through_the_service_and_is_a_plan_revision(client, admin, plan):
    # given a key result
    client.force_login(_staff(admin).user)
    key_result = plan["key_result"]
    # when the admin confirms its deletion
    response = client.post(_url(KeyResult, "delete", key_result.pk), {"post": "yes"})
    # then it is gone, with a deletion revision by them
    assert response.status_code == 302
    assert not KeyResult.objects.filter(pk=key_result.pk).exists()
    revision = KeyResult.history.filter(id=key_result.pk).latest()
    assert revision.history_type == "-"
    assert revision.history_user == admin.user
    assert revision.history_change_reason == "Deleted in the admin"


def test_an_objective_that_work_hangs_from_is_not_deleted(client, admin, plan):
    # given an objective that an initiative still hangs from
    client.force_login(_staff(admin).user)
    objective = plan["objective"]
    # when the admin confirms its deletion
    response = client.post(_url(Objective, "delete", objective.pk), {"post": "yes"})
    # then it stays, and the page names what is in the way
    assert response.status_code == 200
    assert Objective.objects.filter(pk=objective.pk).exists()
    assert "Health v2" in response.content.decode()


def test_a_lead_cannot_move_an_objective_out_of_their_team(client, member_of, org, plan):
    # given a lead of the Platform team, and another team
    lead = _staff(member_of(Role.LEAD))
    plan["team"].lead = lead.user.people.get()
    plan["team"].save()
    other_team = TeamFactory(organization=org, name="Sales")
    client.force_login(lead.user)
    objective = plan["objective"]
    url = _url(Objective, "change", objective.pk)
    # when they try to give their team's objective to the other team
    response = client.post(url, _form_data(client, url, team=other_team.pk), follow=True)
    # then the service refuses it, as a message
    assert response.status_code == 200
    objective.refresh_from_db()
    assert objective.team == plan["team"]
    assert any("may not change" in str(m) for m in response.context["messages"])


def test_another_organizations_rows_are_absent(client, admin, other_org, plan):
    # given rows in another organization
    foreign = ObjectiveFactory(organization=other_org, title="Their secret plan")
    TeamFactory(organization=other_org, name="Their team")
    client.force_login(_staff(admin).user)
    # when the admin of the first organization lists and searches objectives and teams
    pages = [
        client.get(_url(Objective, "changelist")),
        client.get(_url(Objective, "changelist"), {"q": "secret"}),
        client.get(_url(Objective, "add")),
        client.get(_url(FeedbackItem, "changelist")),
    ]
    # then nothing of the other organization shows, and its rows cannot be opened
    for page in pages:
        html = page.content.decode()
        assert "Their secret plan" not in html
        assert "Their team" not in html
    assert client.get(_url(Objective, "change", foreign.pk)).status_code == 302  # "does not exist"
    assert Objective.objects.get(pk=foreign.pk).title == "Their secret plan"


def test_a_superuser_sees_every_organization_but_writes_only_where_a_member(client, admin, other_org, plan):
    # given a superuser who is an admin of the first organization only
    user = _staff(admin).user
    user.is_superuser = True
    user.save()
    foreign = ObjectiveFactory(organization=other_org, title="Their plan")
    client.force_login(user)
    # when they list objectives and open the other organization's one
    listing = client.get(_url(Objective, "changelist")).content.decode()
    # then they see it, read-only
    assert "Their plan" in listing
    assert "Reliable fleet" in listing
    model_admin = _model_admin(Objective)
    assert not model_admin.has_change_permission(_request_for(user), foreign)


def test_the_plan_history_is_read_only(client, admin, plan):
    # given an admin-role staff user
    client.force_login(_staff(admin).user)
    history_model = Objective.history.model
    # when they open the objectives' history and try to add to it
    listing = client.get(_url(history_model, "changelist"))
    add = client.get(_url(history_model, "add"))
    # then they read it but cannot write it
    assert listing.status_code == 200
    assert "Reliable fleet" in listing.content.decode()
    assert add.status_code == 403


def test_a_lead_acknowledges_feedback_with_an_admin_action(client, member_of, plan):
    # given the lead of the team whose initiative the feedback is about
    lead = _staff(member_of(Role.LEAD))
    plan["team"].lead = lead.user.people.get()
    plan["team"].save()
    item = FeedbackItem.objects.get()
    client.force_login(lead.user)
    # when they acknowledge it from the changelist
    response = client.post(
        _url(FeedbackItem, "changelist"),
        {"action": "acknowledge", "_selected_action": [item.pk]},
        follow=True,
    )
    # then it is acknowledged, by the answer service
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.status == "acknowledged"
    assert item.acknowledged_at is not None


def test_the_admin_home_lists_nothing_for_a_staff_user_without_a_membership(client, org, plan):
    # given a staff user who belongs to no organization
    user = UserFactory(is_staff=True)
    client.force_login(user)
    # when they open the admin
    response = client.get(reverse("admin:index"))
    # then only their own API tokens are offered: no organization's rows
    assert response.status_code == 200
    listed = [model["object_name"] for app in response.context["app_list"] for model in app["models"]]
    assert listed == ["ApiToken"]
