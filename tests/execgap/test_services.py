"""The generic service layer (`org_row_*`), organizations and memberships."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from execgap.models import Membership, Role
from execgap.roles import Resource
from execgap.services import (
    StaleVersionError,
    membership_create,
    membership_delete,
    membership_update,
    org_row_create,
    org_row_delete,
    org_row_update,
    organization_create,
    organization_update,
    writable_fields,
)
from objectives.models import Objective, Task
from tests.factories import MembershipFactory, ObjectiveFactory, TaskFactory, UserFactory
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db


# --- the generic layer ---------------------------------------------------------------------------


def test_a_create_writes_the_row_in_the_actors_organization_and_marks_scores_stale(executive, org, other_org):
    # given an organization whose scores are current
    assert org.scores_stale_since is None
    # when a row is created
    task = org_row_create(actor=executive, resource=Resource.TASK, model=Task, data={"title": "Do"})
    # then it belongs to the actor's organization, at version 1, and only that organization is stale
    assert (task.organization_id, task.version) == (org.pk, 1)
    org.refresh_from_db()
    other_org.refresh_from_db()
    assert org.scores_stale_since is not None
    assert org.scores_changed_at == org.scores_stale_since
    assert other_org.scores_stale_since is None


def test_the_stale_mark_keeps_the_first_change_and_the_latest_change_moves_on(executive, org):
    # given scores made stale by a first change
    task = org_row_create(actor=executive, resource=Resource.TASK, model=Task, data={"title": "Do"})
    org.refresh_from_db()
    first = org.scores_stale_since
    # when a second change follows
    org_row_update(actor=executive, resource=Resource.TASK, instance=task, data={"status": "done"})
    org.refresh_from_db()
    # then "stale since" still names the first change, and "changed at" the second
    assert org.scores_stale_since == first
    assert org.scores_changed_at > first


def test_a_write_that_scores_do_not_read_can_leave_the_stale_mark_alone(executive, org):
    org_row_create(
        actor=executive, resource=Resource.TASK, model=Task, data={"title": "Do"}, marks_stale=False
    )
    org.refresh_from_db()
    assert org.scores_stale_since is None


def test_the_writable_fields_leave_out_the_bookkeeping(executive):
    fields = writable_fields(Objective)
    assert {"title", "parent", "parent_id", "priority_weight", "start_date"} <= fields
    assert not {"id", "organization", "organization_id", "version", "created_at", "updated_at"} & fields


@pytest.mark.parametrize("field", ["id", "organization_id", "version", "created_at", "nonsense"])
def test_a_write_of_a_read_only_or_unknown_field_is_refused_and_writes_nothing(executive, org, field):
    task = TaskFactory(organization=org)
    with nothing_written(), pytest.raises(ValidationError) as created:
        org_row_create(actor=executive, resource=Resource.TASK, model=Task, data={"title": "Do", field: 1})
    with nothing_written(), pytest.raises(ValidationError) as updated:
        org_row_update(actor=executive, resource=Resource.TASK, instance=task, data={field: 1})
    assert (
        created.value.message_dict == updated.value.message_dict == {field: ["Unknown or read-only field."]}
    )


def test_a_link_given_as_something_else_than_a_row_is_refused_by_field(executive):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        org_row_create(
            actor=executive, resource=Resource.TASK, model=Task, data={"title": "Do", "initiative": "INIT-1"}
        )
    assert list(raised.value.message_dict) == ["initiative"]


def test_a_missing_required_value_reads_required(executive):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        org_row_create(actor=executive, resource=Resource.TASK, model=Task, data={"title": None})
    assert raised.value.message_dict == {"title": ["This field is required."]}


def test_an_update_adds_one_to_the_version_and_a_stale_one_is_refused(executive, org):
    task = TaskFactory(organization=org, title="Before")
    updated = org_row_update(
        actor=executive, resource=Resource.TASK, instance=task, data={"title": "After"}, expected_version=1
    )
    assert updated.version == 2
    with nothing_written(), pytest.raises(StaleVersionError, match="version 2, you edited 1"):
        org_row_update(
            actor=executive, resource=Resource.TASK, instance=task, data={"title": "Lost"}, expected_version=1
        )
    with nothing_written(), pytest.raises(StaleVersionError):
        org_row_delete(actor=executive, resource=Resource.TASK, instance=task, expected_version=1)


def test_an_update_reads_the_stored_row_not_the_callers_copy(executive, org):
    # given a caller holding an outdated copy of a task
    task = TaskFactory(organization=org, title="Old", effort_hours=Decimal(2))
    Task.objects.filter(pk=task.pk).update(effort_hours=Decimal(5))
    # when they change only the title
    updated = org_row_update(actor=executive, resource=Resource.TASK, instance=task, data={"title": "New"})
    # then the stored effort is kept, not overwritten by the copy
    assert (updated.title, updated.effort_hours) == ("New", Decimal(5))


def test_a_refused_role_writes_nothing(member_of, org):
    viewer = member_of(Role.VIEWER)
    objective = ObjectiveFactory(organization=org)
    with nothing_written():
        with pytest.raises(PermissionDenied):
            org_row_create(actor=viewer, resource=Resource.OBJECTIVE, model=Objective, data={"title": "X"})
        with pytest.raises(PermissionDenied):
            org_row_update(actor=viewer, resource=Resource.OBJECTIVE, instance=objective, data={"title": "X"})
        with pytest.raises(PermissionDenied):
            org_row_delete(actor=viewer, resource=Resource.OBJECTIVE, instance=objective)


# --- organizations -------------------------------------------------------------------------------


def test_the_creator_of_an_organization_becomes_its_admin():
    user = UserFactory()
    organization = organization_create(user=user, slug="initech", name="Initech")
    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role) == (user, Role.ADMIN)
    assert (organization.activity_window_days, organization.planning_horizon_days) == (28, 90)


def test_an_organization_slug_is_unique(org):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        organization_create(user=UserFactory(), slug=org.slug, name="Copy")
    assert list(raised.value.message_dict) == ["slug"]


def test_an_organization_slug_must_be_a_slug():
    with nothing_written(), pytest.raises(ValidationError) as raised:
        organization_create(user=UserFactory(), slug="not a slug!", name="X")
    assert list(raised.value.message_dict) == ["slug"]


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_changes_the_organization(member_of, role):
    actor = member_of(role)
    with nothing_written(), pytest.raises(PermissionDenied):
        organization_update(actor=actor, data={"name": "Renamed"})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("activity_window_days", 0, "Must be at least 1 day."),
        ("planning_horizon_days", 0, "Must be at least 1 day."),
        ("checkin_cadence_days", 0, "Must be at least 1 day."),
        ("activity_window_days", 3651, "Must be at most 3650 days (ten years)."),
        ("planning_horizon_days", 10**9, "Must be at most 3650 days (ten years)."),
        ("checkin_cadence_days", 3651, "Must be at most 3650 days (ten years)."),
        ("activity_window_days", -3, "Ensure this value is greater than or equal to 0."),
        ("default_task_effort_hours", Decimal("-0.5"), "Must not be negative."),
        ("name", "", "This field is required."),
        ("slug", "other", "Unknown or read-only field."),
        ("scores_stale_since", None, "Unknown or read-only field."),
    ],
)
def test_a_bad_organization_setting_is_refused_by_field_and_writes_nothing(admin, field, value, message):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        organization_update(actor=admin, data={field: value})
    assert raised.value.message_dict == {field: [message]}


def test_the_lowest_valid_settings_are_accepted(admin):
    organization = organization_update(
        actor=admin,
        data={
            "activity_window_days": 1,
            "planning_horizon_days": 1,
            "checkin_cadence_days": 1,
            "default_task_effort_hours": Decimal(0),
        },
    )
    assert organization.default_task_effort_hours == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("activity_window_days", 14),
        ("planning_horizon_days", 30),
        ("checkin_cadence_days", 7),
        ("default_task_effort_hours", Decimal(6)),
        ("spread_thin_allocations", 5),
    ],
)
def test_changing_a_scoring_parameter_marks_scores_stale(admin, org, field, value):
    organization = organization_update(actor=admin, data={field: value}, expected_version=1)
    assert getattr(organization, field) == value
    assert organization.version == 2
    org.refresh_from_db()
    assert org.scores_stale_since is not None


def test_renaming_the_organization_leaves_scores_current(admin, org):
    organization_update(actor=admin, data={"name": "Acme Corp"})
    org.refresh_from_db()
    assert (org.name, org.scores_stale_since) == ("Acme Corp", None)


def test_setting_a_parameter_to_its_current_value_leaves_scores_current(admin, org):
    organization_update(actor=admin, data={"activity_window_days": org.activity_window_days})
    org.refresh_from_db()
    assert org.scores_stale_since is None


def test_a_stale_organization_edit_is_refused(admin):
    organization_update(actor=admin, data={"name": "First"})
    with nothing_written(), pytest.raises(StaleVersionError):
        organization_update(actor=admin, data={"name": "Second"}, expected_version=1)


def test_an_admin_changes_only_their_own_organization(admin, other_org):
    organization_update(actor=admin, data={"name": "Ours"})
    other_org.refresh_from_db()
    assert other_org.name == "Globex"


# --- memberships ---------------------------------------------------------------------------------


def test_an_admin_adds_a_member(admin, org):
    user = UserFactory()
    membership = membership_create(actor=admin, user=user, role=Role.LEAD)
    assert (membership.organization_id, membership.role) == (org.pk, Role.LEAD)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_manages_memberships(member_of, org, role):
    actor = member_of(role)
    someone = MembershipFactory(organization=org, role=Role.MEMBER)
    with nothing_written():
        with pytest.raises(PermissionDenied):
            membership_create(actor=actor, user=UserFactory.build(), role=Role.MEMBER)
        with pytest.raises(PermissionDenied):
            membership_update(actor=actor, membership=someone, role=Role.ADMIN)
        with pytest.raises(PermissionDenied):
            membership_delete(actor=actor, membership=someone)


def test_a_user_is_a_member_once(admin, org):
    someone = MembershipFactory(organization=org)
    with nothing_written(), pytest.raises(ValidationError):
        membership_create(actor=admin, user=someone.user, role=Role.VIEWER)


def test_an_unknown_role_is_refused(admin):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        membership_create(actor=admin, user=UserFactory(), role="owner")
    assert list(raised.value.message_dict) == ["role"]


def test_the_last_admin_cannot_be_demoted(admin):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        membership_update(actor=admin, membership=admin, role=Role.EXECUTIVE)
    assert raised.value.message_dict == {"role": ["An organization keeps at least one admin."]}


def test_the_last_admin_cannot_be_removed(admin):
    with nothing_written(), pytest.raises(ValidationError) as raised:
        membership_delete(actor=admin, membership=admin)
    assert raised.value.message_dict == {"role": ["An organization keeps at least one admin."]}


def test_an_admin_steps_down_once_another_admin_exists(admin, member_of):
    # given a second admin
    member_of(Role.ADMIN)
    # when the first demotes themselves, then that is allowed
    assert membership_update(actor=admin, membership=admin, role=Role.MEMBER).role == Role.MEMBER


def test_an_admin_leaves_once_another_admin_exists(admin, member_of, org):
    member_of(Role.ADMIN)
    membership_delete(actor=admin, membership=admin)
    assert list(Membership.objects.filter(organization=org).values_list("role", flat=True)) == [Role.ADMIN]


def test_the_admin_of_another_organization_does_not_count(admin, other_org):
    MembershipFactory(organization=other_org, role=Role.ADMIN)
    with nothing_written(), pytest.raises(ValidationError):
        membership_update(actor=admin, membership=admin, role=Role.VIEWER)


def test_an_admin_changes_and_removes_other_members(admin, member_of):
    someone = member_of(Role.MEMBER)
    assert membership_update(actor=admin, membership=someone, role=Role.VIEWER).role == Role.VIEWER
    membership_delete(actor=admin, membership=someone)
    assert not Membership.objects.filter(pk=someone.pk).exists()
