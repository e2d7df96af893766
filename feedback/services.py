"""Writes to check-ins, feedback items and recognitions.

Each function is the one way in for its change; `execgap.services` does the role check,
validation and stale mark. `data` maps field names (or `<link>_id`) to values. None of these
rows is plan history (no revision, no reason). Check-ins and feedback mark the scores stale
(adaptability and people read them); recognitions do not.

The person a row is written as (a check-in's or feedback's `author`, a recognition's
`from_person`) defaults to the actor's own person. Where the rule table grants a role only its
own rows (`Scope.OWN`), naming someone else is an error on that field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from execgap.events import Event, EventKind, publish
from execgap.models import Membership
from execgap.roles import Action, Resource, is_allowed, person_of, require
from execgap.services import (
    StaleVersionError,
    org_row_create,
    org_row_delete,
    org_row_update,
    organization_mark_scores_stale,
)
from execgap.tenancy import OrgOwnedModel
from feedback.models import CheckIn, FeedbackItem, FeedbackStatus, Recognition

Data = Mapping[str, Any]


def check_in_create(*, actor: Membership, data: Data) -> CheckIn:
    """Check in on exactly one objective, initiative or key result (confidence 0 to 10)."""
    data = _as_actor_by_default(actor=actor, data=data, field="author")
    _refuse_writing_as_someone_else(
        actor=actor, resource=Resource.CHECK_IN, probe=CheckIn(**_person_link(data, "author")),
        field="author", message="You may only check in as yourself.",
    )  # fmt: skip
    return org_row_create(actor=actor, resource=Resource.CHECK_IN, model=CheckIn, data=data)


def check_in_update(
    *, actor: Membership, check_in: CheckIn, data: Data, expected_version: int | None = None
) -> CheckIn:
    return org_row_update(
        actor=actor, resource=Resource.CHECK_IN, instance=check_in, data=data,
        expected_version=expected_version,
    )  # fmt: skip


def check_in_delete(*, actor: Membership, check_in: CheckIn, expected_version: int | None = None) -> None:
    org_row_delete(
        actor=actor, resource=Resource.CHECK_IN, instance=check_in, expected_version=expected_version
    )


def feedback_create(*, actor: Membership, data: Data) -> FeedbackItem:
    """Raise a blocker, risk, idea or concern, about an objective, an initiative or neither."""
    data = _as_actor_by_default(actor=actor, data=data, field="author")
    _refuse_writing_as_someone_else(
        actor=actor, resource=Resource.FEEDBACK, probe=FeedbackItem(**_person_link(data, "author")),
        field="author", message="You may only raise feedback as yourself.",
    )  # fmt: skip
    item = org_row_create(actor=actor, resource=Resource.FEEDBACK, model=FeedbackItem, data=data)
    publish(
        Event(
            kind=EventKind.FEEDBACK_RAISED,
            organization_id=actor.organization_id,
            actor_user_id=actor.user_id,
            data={
                "feedback_id": item.pk,
                "kind": item.kind,
                "text": item.text,
                "author_person_id": item.author_id,
                "objective_id": item.objective_id,
                "initiative_id": item.initiative_id,
            },
        )
    )
    return item


def feedback_update(
    *, actor: Membership, item: FeedbackItem, data: Data, expected_version: int | None = None
) -> FeedbackItem:
    return org_row_update(
        actor=actor, resource=Resource.FEEDBACK, instance=item, data=data, expected_version=expected_version
    )


def feedback_delete(*, actor: Membership, item: FeedbackItem, expected_version: int | None = None) -> None:
    org_row_delete(actor=actor, resource=Resource.FEEDBACK, instance=item, expected_version=expected_version)


def feedback_acknowledge(
    *, actor: Membership, item: FeedbackItem, response: str = "", expected_version: int | None = None
) -> FeedbackItem:
    """Open → acknowledged (again: no change); `acknowledged_at` is now unless already set.

    A non-empty `response` replaces the response text. Resolved feedback is not reopened.
    """

    def acknowledge(row: FeedbackItem) -> None:
        if row.status == FeedbackStatus.RESOLVED:
            raise ValidationError(
                {"status": "This feedback is resolved already: it cannot go back to acknowledged."}
            )
        row.status = FeedbackStatus.ACKNOWLEDGED
        row.acknowledged_at = row.acknowledged_at or timezone.now()
        row.response = response or row.response

    return _answer(actor=actor, item=item, apply=acknowledge, expected_version=expected_version)


def feedback_respond(
    *, actor: Membership, item: FeedbackItem, response: str, expected_version: int | None = None
) -> FeedbackItem:
    """Set the response text (the status does not change)."""
    if not response.strip():
        raise ValidationError({"response": "Write a response."})

    def respond(row: FeedbackItem) -> None:
        row.response = response

    return _answer(actor=actor, item=item, apply=respond, expected_version=expected_version)


def feedback_resolve(
    *, actor: Membership, item: FeedbackItem, response: str = "", expected_version: int | None = None
) -> FeedbackItem:
    """Open or acknowledged → resolved; `resolved_at` is now unless already set.

    Resolving open feedback also answers it: scoring reads `resolved_at` where `acknowledged_at`
    is empty. A non-empty `response` replaces the response text.
    """

    def resolve(row: FeedbackItem) -> None:
        row.status = FeedbackStatus.RESOLVED
        row.resolved_at = row.resolved_at or timezone.now()
        row.response = response or row.response

    return _answer(actor=actor, item=item, apply=resolve, expected_version=expected_version)


def recognition_create(*, actor: Membership, data: Data) -> Recognition:
    """Recognize a colleague, optionally for an objective or an initiative (scores do not read it)."""
    data = _as_actor_by_default(actor=actor, data=data, field="from_person")
    _refuse_writing_as_someone_else(
        actor=actor, resource=Resource.RECOGNITION, probe=Recognition(**_person_link(data, "from_person")),
        field="from_person", message="You may only give recognition as yourself.",
    )  # fmt: skip
    recognition = org_row_create(
        actor=actor, resource=Resource.RECOGNITION, model=Recognition, data=data, marks_stale=False
    )
    publish(
        Event(
            kind=EventKind.RECOGNITION_GIVEN,
            organization_id=actor.organization_id,
            actor_user_id=actor.user_id,
            data={
                "recognition_id": recognition.pk,
                "from_person_id": recognition.from_person_id,
                "to_person_id": recognition.to_person_id,
                "message": recognition.message,
                "objective_id": recognition.objective_id,
                "initiative_id": recognition.initiative_id,
            },
        )
    )
    return recognition


def recognition_delete(
    *, actor: Membership, recognition: Recognition, expected_version: int | None = None
) -> None:
    org_row_delete(
        actor=actor, resource=Resource.RECOGNITION, instance=recognition, expected_version=expected_version,
        marks_stale=False,
    )  # fmt: skip


def _answer(
    *,
    actor: Membership,
    item: FeedbackItem,
    apply: Callable[[FeedbackItem], None],
    expected_version: int | None = None,
) -> FeedbackItem:
    """Change a feedback item under the ANSWER grant (a lead answers their team's feedback).

    `org_row_update` checks the CHANGE grant, which leads do not have; this is its path with
    `Action.ANSWER`: lock, check the role, change, validate, bump the version, mark stale. The
    answering member's person (None when they have none) becomes `answered_by`.
    """
    with transaction.atomic():
        row = FeedbackItem.objects.for_org(actor.organization_id).select_for_update().get(pk=item.pk)
        if expected_version is not None and row.version != expected_version:
            raise StaleVersionError(expected=expected_version, current=row.version)
        require(actor, Resource.FEEDBACK, Action.ANSWER, row)
        apply(row)
        row.answered_by = person_of(actor)
        row.full_clean()
        row.version += 1
        row.save()
        organization_mark_scores_stale(organization_id=actor.organization_id)
        publish(
            Event(
                kind=EventKind.FEEDBACK_ANSWERED,
                organization_id=actor.organization_id,
                actor_user_id=actor.user_id,
                data={
                    "feedback_id": row.pk,
                    "kind": row.kind,
                    "status": row.status,
                    "response": row.response,
                    "author_person_id": row.author_id,
                    "answered_by_person_id": row.answered_by_id,
                },
            )
        )
    return row


def _as_actor_by_default(*, actor: Membership, data: Data, field: str) -> Data:
    """`data` with `field` set to the actor's person when it names no one (and they have one)."""
    if field in data or f"{field}_id" in data:
        return data
    person = person_of(actor)
    return data if person is None else {**data, field: person}


def _person_link(data: Data, field: str) -> dict[str, Any]:
    """Only the person link of `data`, as `<field>_id`, to build a probe for the role check."""
    person = data.get(field)
    return {f"{field}_id": person.pk if person is not None else data.get(f"{field}_id")}


def _refuse_writing_as_someone_else(
    *, actor: Membership, resource: Resource, probe: OrgOwnedModel, field: str, message: str
) -> None:
    """Refuse, as an error on `field`, a row the actor's role may create only as their own person.

    `probe` carries nothing but the person link; whether the role may create such rows at all is
    left to the generic layer (PermissionDenied), so that a viewer is refused the action itself.
    """
    if is_allowed(actor, resource, Action.CREATE) and not is_allowed(actor, resource, Action.CREATE, probe):
        if person_of(actor) is None:
            message += " You have no person record in this organization: ask an admin to add one."
        raise ValidationError({field: message})
