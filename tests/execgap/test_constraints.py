"""The database itself refuses impossible rows, whatever path wrote them.

Every write here bypasses validation (`QuerySet.update` or `bulk_create`), so only the database's
check, unique and foreign-key constraints stand in the way.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, models, transaction

from execgap.models import Membership, Organization
from feedback.models import CheckIn
from objectives.models import Objective, Task
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PersonFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

LATE, EARLY = date(2025, 3, 1), date(2025, 2, 1)


def _row(factory: Callable[..., models.Model]) -> Callable[[Organization], models.QuerySet[Any]]:
    """A builder: one fresh row of `factory` in the organization, as a queryset to `update()`."""

    def build(org: Organization) -> models.QuerySet[Any]:
        row = factory(organization=org)
        return type(row)._base_manager.filter(pk=row.pk)

    return build


def _check_in(org: Organization) -> models.QuerySet[Any]:
    row = CheckInFactory(organization=org, objective=ObjectiveFactory(organization=org))
    return CheckIn.objects.filter(pk=row.pk)


REFUSED_UPDATES = [
    pytest.param(_row(TaskFactory), {"effort_hours": Decimal(-1)}, id="task-negative-effort"),
    pytest.param(_row(PersonFactory), {"weekly_capacity_hours": Decimal(-1)}, id="person-negative-capacity"),
    pytest.param(_row(AllocationFactory), {"hours_per_week": Decimal(-1)}, id="allocation-negative-hours"),
    pytest.param(_row(InitiativeFactory), {"estimate_hours": Decimal(-1)}, id="initiative-negative-estimate"),
    pytest.param(_row(ObjectiveFactory), {"priority_weight": Decimal(0)}, id="objective-zero-priority"),
    pytest.param(_row(ObjectiveFactory), {"priority_weight": Decimal(-2)}, id="objective-negative-priority"),
    pytest.param(_row(KeyResultFactory), {"weight": Decimal(0)}, id="key-result-zero-weight"),
    pytest.param(_row(KeyResultFactory), {"weight": Decimal(-1)}, id="key-result-negative-weight"),
    pytest.param(
        _row(ObjectiveFactory), {"start_date": LATE, "end_date": EARLY}, id="objective-end-before-start"
    ),
    pytest.param(
        _row(InitiativeFactory), {"start_date": LATE, "end_date": EARLY}, id="initiative-end-before-start"
    ),
    pytest.param(
        _row(AllocationFactory), {"start_date": LATE, "end_date": EARLY}, id="allocation-end-before-start"
    ),
    pytest.param(_row(ObjectiveFactory), {"status": "paused"}, id="objective-unknown-status"),
    pytest.param(_row(InitiativeFactory), {"status": "paused"}, id="initiative-unknown-status"),
    pytest.param(_row(TaskFactory), {"status": "paused"}, id="task-unknown-status"),
    pytest.param(_row(FeedbackItemFactory), {"kind": "praise"}, id="feedback-unknown-kind"),
    pytest.param(_row(FeedbackItemFactory), {"status": "closed"}, id="feedback-unknown-status"),
    pytest.param(_row(MembershipFactory), {"role": "owner"}, id="membership-unknown-role"),
    pytest.param(_check_in, {"confidence": 11}, id="check-in-confidence-above-10"),
    pytest.param(_check_in, {"confidence": -1}, id="check-in-confidence-below-0"),
    pytest.param(_check_in, {"objective": None}, id="check-in-without-target"),
]


@pytest.mark.parametrize(("build", "changes"), REFUSED_UPDATES)
def test_the_database_refuses(org, build, changes):
    # given a valid row
    rows = build(org)
    before = list(rows.values())
    # when it is changed into an impossible one without validation
    # then the database refuses the write
    with transaction.atomic(), pytest.raises(IntegrityError):
        rows.update(**changes)
    assert list(rows.values()) == before


@pytest.mark.parametrize("field", ["activity_window_days", "planning_horizon_days", "checkin_cadence_days"])
def test_the_database_refuses_an_organization_parameter_of_zero_days(org, field):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organization.objects.filter(pk=org.pk).update(**{field: 0})


def test_the_database_refuses_a_negative_default_effort(org):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organization.objects.filter(pk=org.pk).update(default_task_effort_hours=Decimal(-1))


def test_the_database_refuses_a_task_linked_to_both_an_initiative_and_an_objective(org):
    # given a task linked to an initiative
    task = TaskFactory(organization=org, initiative=InitiativeFactory(organization=org))
    # when it is also linked to an objective, then the database refuses
    with transaction.atomic(), pytest.raises(IntegrityError):
        Task.objects.filter(pk=task.pk).update(objective=ObjectiveFactory(organization=org))


def test_the_database_refuses_a_check_in_on_two_targets(org):
    objective = ObjectiveFactory(organization=org)
    check_in = CheckInFactory(organization=org, objective=objective)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CheckIn.objects.filter(pk=check_in.pk).update(
            initiative=InitiativeFactory(organization=org, objective=objective)
        )


def test_the_database_refuses_a_check_in_created_without_a_target(org):
    with transaction.atomic(), pytest.raises(IntegrityError):
        CheckIn.objects.bulk_create([CheckIn(organization=org, confidence=5)])


def test_the_database_refuses_an_objective_that_is_its_own_parent(org):
    objective = ObjectiveFactory(organization=org)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Objective.objects.filter(pk=objective.pk).update(parent=objective)


def test_the_database_refuses_a_duplicate_organization_slug(org):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organization.objects.bulk_create([Organization(slug=org.slug, name="Another")])


def test_the_database_refuses_a_second_membership_of_one_user(org):
    membership = MembershipFactory(organization=org)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Membership.objects.bulk_create([Membership(organization=org, user=membership.user, role="viewer")])


def test_the_database_refuses_a_duplicate_external_key_within_an_organization(org):
    # given a task imported as ABC-1
    TaskFactory(organization=org, external_key="ABC-1")
    # when another task of the same organization gets the same key, then the database refuses
    with transaction.atomic(), pytest.raises(IntegrityError):
        Task.objects.bulk_create([Task(organization=org, title="Copy", external_key="ABC-1")])
    assert Task.objects.for_org(org).filter(external_key="ABC-1").count() == 1


def test_the_same_external_key_is_allowed_in_two_organizations(org, other_org):
    TaskFactory(organization=org, external_key="ABC-1")
    Task.objects.bulk_create([Task(organization=other_org, title="Theirs", external_key="ABC-1")])
    assert Task.objects.filter(external_key="ABC-1").count() == 2


def test_blank_external_keys_are_allowed_many_times(org):
    Task.objects.bulk_create([Task(organization=org, title=f"Manual {n}", external_key="") for n in range(3)])
    assert Task.objects.for_org(org).filter(external_key="").count() == 3


def test_the_sample_rows_are_valid_to_begin_with(org):
    """The refusals above come from the one bad value, not from a broken starting row."""
    for build, _changes in (case.values for case in REFUSED_UPDATES):
        row = build(OrganizationFactory()).get()
        row.full_clean()
