"""The scoring settings in the plan history, and change sets: the records written together."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from execgap.history import ChangeSetMiddleware, change_set
from execgap.models import Organization
from execgap.services import organization_update
from feedback.selectors import (
    FieldChange,
    HistoryAction,
    plan_history_list,
    settings_change_between,
)
from objectives.services import key_result_create, objective_create

pytestmark = pytest.mark.django_db


def test_a_change_of_the_scoring_settings_is_kept_with_who_what_and_why(admin, org):
    # given an organization with the default settings (a cadence of 14 days, a horizon of 90)
    # when its admin changes the cadence and the horizon, with a reason
    organization_update(
        actor=admin,
        data={"checkin_cadence_days": 28, "planning_horizon_days": 120, "name": org.name},
        reason="Quarterly planning",
    )
    # then the plan history holds one settings revision: by the admin, with each setting from and to
    (revision,) = plan_history_list(organization=org, kinds=["settings"])
    assert revision.action == HistoryAction.CHANGED
    assert revision.user == admin.user
    assert revision.reason == "Quarterly planning"
    assert revision.label == "Scoring settings"
    assert set(revision.changes) == {
        FieldChange("planning_horizon_days", 90, 120),
        FieldChange("checkin_cadence_days", 14, 28),
    }


def test_a_save_that_changes_nothing_leaves_no_revision(admin, org):
    # when the settings are saved as they are
    organization_update(actor=admin, data={"checkin_cadence_days": 14, "name": org.name})
    # then there is nothing in the history (the organization's creation is no change either)
    assert plan_history_list(organization=org, kinds=["settings"]) == []


def test_another_organizations_settings_are_not_in_this_history(admin, org, other_org, member_of):
    # given a change of another organization's settings
    organization_update(actor=member_of("admin", other_org), data={"checkin_cadence_days": 7})
    # then this organization's history does not hold it
    assert plan_history_list(organization=org) == []
    assert len(plan_history_list(organization=other_org)) == 1


def test_the_latest_change_of_a_scoring_setting_between_two_times(admin, org):
    # given a rename, then a change of the horizon, then of the cadence
    before = timezone.now()
    organization_update(actor=admin, data={"name": "Acme Inc"})
    organization_update(actor=admin, data={"planning_horizon_days": 120})
    organization_update(actor=admin, data={"default_task_effort_hours": Decimal(6)})
    after = timezone.now()
    # then the latest change of a setting that moves the scores is found, and none outside the times
    found = settings_change_between(organization=org, after=before, until=after)
    assert found is not None
    assert found.changes == (FieldChange("default_task_effort_hours", Decimal(4), Decimal(6)),)
    assert settings_change_between(organization=org, after=after, until=after + datetime.timedelta(1)) is None


def test_a_rename_alone_is_no_change_of_the_scoring_settings(admin, org):
    before = timezone.now()
    organization_update(actor=admin, data={"name": "Acme Inc"})
    assert settings_change_between(organization=org, after=before, until=timezone.now()) is None


def test_each_service_call_is_a_change_set_of_its_own(executive, org):
    # given two changes made one after the other, outside any request
    objective = objective_create(actor=executive, data={"title": "Grow"})
    key_result_create(actor=executive, data={"objective": objective, "title": "ARR", "target_value": 1})
    # then each is a change set of its own
    sets = {revision.change_set for revision in plan_history_list(organization=org)}
    assert len(sets) == 2
    assert None not in sets


def test_the_changes_made_in_one_change_set_share_it(executive, org):
    # when an objective and its key result are created together, and the settings changed
    with change_set() as together:
        objective = objective_create(actor=executive, data={"title": "Grow"})
        key_result_create(actor=executive, data={"objective": objective, "title": "ARR", "target_value": 1})
    # then both records carry the one change set
    assert {revision.change_set for revision in plan_history_list(organization=org)} == {together}


def test_one_request_is_one_change_set(executive, org, admin):
    # given a request whose view makes three changes, to the plan and to the settings
    def view(request):
        objective = objective_create(actor=executive, data={"title": "Grow"})
        key_result_create(actor=executive, data={"objective": objective, "title": "ARR", "target_value": 1})
        organization_update(actor=admin, data={"checkin_cadence_days": 7})
        return HttpResponse()

    # when it runs through the middleware, twice
    for _ in range(2):
        ChangeSetMiddleware(view)(RequestFactory().post("/"))
    # then the three records of each request share a change set, and the two requests differ
    revisions = plan_history_list(organization=org)
    assert len(revisions) == 5  # the second request's settings save changes nothing
    sets = [revision.change_set for revision in revisions]
    assert len(set(sets)) == 2
    assert sets[:2] == [sets[0]] * 2
    assert sets[2:] == [sets[2]] * 3


def test_the_settings_history_starts_with_the_organization(admin):
    # given a new organization
    organization = Organization.objects.get(pk=admin.organization_id)
    # then its settings' first record is the one later changes are measured against (not listed)
    records = Organization.history.model.objects.filter(id=organization.pk)
    assert [record.history_type for record in records] == ["+"]
