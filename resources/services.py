"""Writes to teams, people and allocations.

Each function is the one way in for its change; `execgap.services` does the role check,
validation, revision record and stale mark. `data` maps field names (or `<link>_id`) to values.
Allocations are plan history: their `reason` is kept with the revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from execgap.models import Membership
from execgap.roles import Action, Resource, is_allowed, require
from execgap.services import org_row_create, org_row_delete, org_row_update
from objectives.models import Initiative, Objective
from objectives.services import initiative_update, objective_update
from resources.models import Allocation, Person, Team, allocation_overlap_error

Data = Mapping[str, Any]

# simple-history keeps a reason of at most 100 characters.


def team_create(*, actor: Membership, data: Data) -> Team:
    return org_row_create(actor=actor, resource=Resource.TEAM, model=Team, data=data)


def team_update(*, actor: Membership, team: Team, data: Data, expected_version: int | None = None) -> Team:
    return org_row_update(
        actor=actor, resource=Resource.TEAM, instance=team, data=data, expected_version=expected_version
    )


def team_delete(*, actor: Membership, team: Team, expected_version: int | None = None) -> None:
    """Delete a team that has no child teams (refused with a ValidationError while it has).

    The team's objectives and initiatives lose their team as recorded plan revisions, not
    silently through the database's SET NULL.
    """
    with transaction.atomic():
        require(actor, Resource.TEAM, Action.DELETE, team)
        _unlink_plan_rows(actor=actor, link="team", target=team, reason=f"Team deleted: {team}")
        org_row_delete(actor=actor, resource=Resource.TEAM, instance=team, expected_version=expected_version)


def person_create(*, actor: Membership, data: Data) -> Person:
    """Create a person; their `user`, when given, must be a member of the organization."""
    _refuse_user_outside_organization(actor=actor, action=Action.CREATE, data=data)
    return org_row_create(actor=actor, resource=Resource.PERSON, model=Person, data=data)


def person_update(
    *, actor: Membership, person: Person, data: Data, expected_version: int | None = None
) -> Person:
    """Change a person; a new `user` must be a member of the organization."""
    _refuse_user_outside_organization(actor=actor, action=Action.CHANGE, data=data)
    return org_row_update(
        actor=actor, resource=Resource.PERSON, instance=person, data=data, expected_version=expected_version
    )


def person_delete(*, actor: Membership, person: Person, expected_version: int | None = None) -> None:
    """Delete a person (to keep their history, prefer `active=False`).

    Their allocations are deleted and the objectives and initiatives they own lose their owner,
    each as a recorded plan revision rather than silently through the database's cascade.
    """
    reason = f"Person deleted: {person}"
    with transaction.atomic():
        require(actor, Resource.PERSON, Action.DELETE, person)
        allocations = Allocation.objects.for_org(actor.organization_id).filter(person=person).order_by("pk")
        for allocation in allocations:
            allocation_delete(actor=actor, allocation=allocation, reason=reason)
        _unlink_plan_rows(actor=actor, link="owner", target=person, reason=reason)
        org_row_delete(
            actor=actor, resource=Resource.PERSON, instance=person, expected_version=expected_version
        )


def allocation_create(*, actor: Membership, data: Data, reason: str = "") -> Allocation:
    """Allocate a person to an initiative, not over dates on which they are already allocated to it
    (`allocation_fits`)."""
    return org_row_create(
        actor=actor, resource=Resource.ALLOCATION, model=Allocation, data=data, reason=reason,
        check=allocation_fits,
    )  # fmt: skip


def allocation_update(
    *,
    actor: Membership,
    allocation: Allocation,
    data: Data,
    expected_version: int | None = None,
    reason: str = "",
) -> Allocation:
    """Change an allocation (no overlap with another of the person on the initiative: `allocation_fits`)."""
    return org_row_update(
        actor=actor, resource=Resource.ALLOCATION, instance=allocation, data=data,
        expected_version=expected_version, reason=reason,
        check=lambda _, row: allocation_fits(row),
    )  # fmt: skip


def allocation_delete(
    *, actor: Membership, allocation: Allocation, expected_version: int | None = None, reason: str = ""
) -> None:
    org_row_delete(
        actor=actor, resource=Resource.ALLOCATION, instance=allocation, expected_version=expected_version,
        reason=reason,
    )  # fmt: skip


def allocation_fits(row: Allocation) -> None:
    """Check again, under a lock on the person, that no other allocation of the person to the
    initiative overlaps this one (`Allocation.validation_errors` checks it first, outside the lock):
    two allocations written at once cannot both pass. Call in the writing transaction.

    Hours above the person's capacity are not refused (at most 168 a week, by the model): one
    allocation or several past a capacity is over-allocation, what the resources page shows and
    scenarios weigh, not an input error.
    """
    Person.objects.for_org(row.organization_id).select_for_update().filter(pk=row.person_id).first()
    overlap = allocation_overlap_error(row)
    if overlap:
        raise ValidationError({"start_date": overlap})


def _refuse_user_outside_organization(*, actor: Membership, action: Action, data: Data) -> None:
    """A field error when `data` links the person to a user who is not a member of the organization.

    Checked only for a role that may write people at all: the others are refused by the generic
    layer (PermissionDenied), without learning who is a member.
    """
    if not is_allowed(actor, Resource.PERSON, action):
        return
    if "user" in data:
        user = data["user"]
        user_id = None if user is None else user.pk
    elif "user_id" in data:
        user_id = data["user_id"]
    else:
        return
    if user_id is None:
        return
    if not Membership.objects.filter(organization_id=actor.organization_id, user_id=user_id).exists():
        raise ValidationError({"user": "This user is not a member of the organization."})


def _unlink_plan_rows(*, actor: Membership, link: str, target: Team | Person, reason: str) -> None:
    """Clear `link` ("team" or "owner") on the objectives and initiatives pointing at `target`."""
    organization_id = actor.organization_id
    for objective in Objective.objects.for_org(organization_id).filter(**{link: target}).order_by("pk"):
        objective_update(actor=actor, objective=objective, data={link: None}, reason=reason)
    for initiative in Initiative.objects.for_org(organization_id).filter(**{link: target}).order_by("pk"):
        initiative_update(actor=actor, initiative=initiative, data={link: None}, reason=reason)
