"""The one way in for every change to an organization's rows.

`org_row_create`, `org_row_update` and `org_row_delete` are what every app's services
(`objective_create`, `task_update`, ...) call: in one transaction they check the actor's role
against the rule table, validate (the model's field validators and `validation_errors`), write,
record the plan revision (who, when, why: django-simple-history on the plan models) and mark the
organization's scores stale. Bad input raises `ValidationError` keyed by field and writes nothing.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router, transaction
from django.db.models import Value
from django.db.models.deletion import Collector
from django.db.models.functions import Coalesce
from django.utils import timezone

from execgap.history import change_set
from execgap.hooks import Hook
from execgap.models import Membership, Organization, Role
from execgap.plan_events import plan_change_record
from execgap.roles import Action, Resource, require
from execgap.tenancy import OrgOwnedModel
from execgap.validators import as_required, hours_at_most, task_effort_bound

Row = TypeVar("Row", bound=OrgOwnedModel)

NOT_WRITABLE = frozenset({"id", "organization", "version"})


class StaleVersionError(Exception):
    """The row changed since the caller read it: `expected` is what they read, `current` what is stored."""

    def __init__(self, *, expected: int, current: int) -> None:
        super().__init__(f"This row was changed by someone else (version {current}, you edited {expected}).")
        self.expected = expected
        self.current = current


class ConfirmationRequiredError(ValidationError):
    """A deletion that would take other rows with it, which the caller has not confirmed.

    `summary` says what goes in words; `rows` lists it by kind (`kind`, `noun`, `count` and the
    first `ids`). The API answers it 409; pages and the admin show it as any refusal.
    """

    def __init__(self, summary: str, rows: list[dict[str, Any]]) -> None:
        self.summary = summary
        self.rows = rows
        super().__init__({NON_FIELD_ERRORS: [f"{summary} Confirm to delete them with it."]})


# Asks for one recompute of an organization (by id), after the change committed; never raises. The
# scoring app provides it (`scoring.recompute.scores_request_recompute`).
scores_recompute_request: Hook[Callable[[int], object]] = Hook("scores_recompute_request")


def organization_mark_scores_stale(*, organization_id: int) -> None:
    """Record that the scores no longer reflect the plan, and ask for a recompute once committed.

    Call inside the changing transaction: the mark commits (or rolls back) with the change, so a
    request lost on its way to the broker only delays the recompute (the sweep finds the mark).
    """
    now = timezone.now()
    Organization.objects.filter(pk=organization_id).update(
        scores_stale_since=Coalesce("scores_stale_since", Value(now)), scores_changed_at=now
    )
    request = _RecomputeRequest(organization_id)
    if request not in (callback for _, callback, _ in transaction.get_connection().run_on_commit):
        transaction.on_commit(request)  # once per organization per transaction, however many changes


@dataclass(frozen=True)
class _RecomputeRequest:
    """The after-commit request for one organization's recompute (equal requests are one)."""

    organization_id: int

    def __call__(self) -> None:
        scores_recompute_request.call(self.organization_id)


def writable_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields a service accepts in `data` (by name or, for links, by `<name>_id`)."""
    names: set[str] = set()
    for field in model._meta.concrete_fields:
        if field.editable and field.name not in NOT_WRITABLE:
            names.add(field.name)
            if field.is_relation:
                names.add(field.attname)
    return frozenset(names)


def _assign(instance: models.Model, data: Mapping[str, Any]) -> None:
    unknown = sorted(set(data) - writable_fields(type(instance)))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown or read-only field."))
    for name, value in data.items():
        try:
            setattr(instance, name, value)
        except ValueError as error:  # a link given as something other than a row of its model
            raise ValidationError({name: str(error)}) from error


def _save_with_history(instance: models.Model, *, actor: Membership, reason: str) -> None:
    instance._history_user = actor.user  # type: ignore[attr-defined]  # read by simple-history
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


def org_row_create(
    *,
    actor: Membership,
    resource: Resource,
    model: type[Row],
    data: Mapping[str, Any],
    reason: str = "",
    marks_stale: bool = True,
    check: Callable[[Row], None] | None = None,
) -> Row:
    """Create a row of `model` in the actor's organization from `data` (field name → value).

    `check(row)`, when given, runs once the row is valid, in the writing transaction (the rules that
    read other rows: it may lock them, and raise ValidationError).
    """
    require(actor, resource, Action.CREATE)  # a role that may create none is refused before its input is read
    instance = model(organization_id=actor.organization_id)
    _assign(instance, data)
    instance.full_clean()  # first, so that the role check only ever follows links within the organization
    with change_set() as changes, transaction.atomic():
        require(actor, resource, Action.CREATE, instance)
        if check is not None:
            check(instance)
        _save_with_history(instance, actor=actor, reason=reason)
        _plan_changed(actor, resource, instance.pk, "created", changes)
        if marks_stale:
            organization_mark_scores_stale(organization_id=actor.organization_id)
    return instance


def org_row_update(
    *,
    actor: Membership,
    resource: Resource,
    instance: Row,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    marks_stale: bool = True,
    check: Callable[[Row, Row], None] | None = None,
) -> Row:
    """Change `instance` by `data`; with `expected_version`, refuse (StaleVersionError) a stale edit.

    The role is checked on the row as it is and as it would be, so a team-scoped lead can
    neither change another team's row nor move their own into another team. `check(before, after)`,
    when given, runs once the changed row is valid, in the writing transaction.
    """
    model = type(instance)
    with change_set() as changes, transaction.atomic():
        row = model.objects.for_org(actor.organization_id).select_for_update().get(pk=instance.pk)
        if expected_version is not None and row.version != expected_version:
            raise StaleVersionError(expected=expected_version, current=row.version)
        require(actor, resource, Action.CHANGE, row)
        before = copy.copy(row)
        _assign(row, data)
        row.full_clean()
        require(actor, resource, Action.CHANGE, row)
        if check is not None:
            check(before, row)
        row.version += 1
        _save_with_history(row, actor=actor, reason=reason)
        _plan_changed(actor, resource, row.pk, "changed", changes)
        if marks_stale:
            organization_mark_scores_stale(organization_id=actor.organization_id)
    return row


def org_row_delete(
    *,
    actor: Membership,
    resource: Resource,
    instance: OrgOwnedModel,
    expected_version: int | None = None,
    reason: str = "",
    marks_stale: bool = True,
    check: Callable[[OrgOwnedModel], None] | None = None,
) -> None:
    """Delete `instance` with the rows that are part of it (`on_delete=CASCADE`: an objective's key
    results, say); refuse while rows that only link to it remain (`PROTECT`: child objectives,
    initiatives). Every deleted plan row gets a revision with the actor and `reason`.

    `check(row)`, when given, runs on the locked row once nothing protects it, before anything is
    deleted (and may refuse).
    """
    model = type(instance)
    with change_set() as changes, transaction.atomic():
        row = model.objects.for_org(actor.organization_id).select_for_update().get(pk=instance.pk)
        if expected_version is not None and row.version != expected_version:
            raise StaleVersionError(expected=expected_version, current=row.version)
        require(actor, resource, Action.DELETE, row)
        collector = Collector(using=router.db_for_write(model, instance=row), origin=row)
        try:
            collector.collect([row])
        except models.ProtectedError as error:
            raise ValidationError({NON_FIELD_ERRORS: _still_linked(row, error)}) from error
        if check is not None:
            check(row)
        for doomed in collector.data.values():
            for obj in doomed:
                obj._history_user = actor.user  # type: ignore[attr-defined]  # read by simple-history
                obj._change_reason = reason  # type: ignore[attr-defined]
        row_id = row.pk  # the deletion clears it
        collector.delete()
        _plan_changed(actor, resource, row_id, "deleted", changes)
        if marks_stale:
            organization_mark_scores_stale(organization_id=actor.organization_id)


def _plan_changed(
    actor: Membership, resource: Resource, row_id: Any, action: str, changes: uuid.UUID
) -> None:
    """Told once the transaction commits, with its other plan changes (`execgap.plan_events`)."""
    plan_change_record(
        organization_id=actor.organization_id, resource=resource, row_id=row_id, action=action,
        change_set=changes, user_id=actor.user_id,
    )  # fmt: skip


def _still_linked(row: models.Model, error: models.ProtectedError) -> str:
    """ "This objective still has 2 child objectives and 1 initiative: move or delete them first."."""
    counts: dict[str, int] = {}
    for obj in error.protected_objects:
        meta = obj._meta
        label = f"child {meta.verbose_name}" if type(obj) is type(row) else str(meta.verbose_name)
        counts[label] = counts.get(label, 0) + 1
    parts = [f"{count} {label}{'' if count == 1 else 's'}" for label, count in sorted(counts.items())]
    return f"This {row._meta.verbose_name} still has {' and '.join(parts)}: move or delete them first."


# Gives a new organization its defaults (its alert rules), in the creating transaction; the alerts
# app provides it (`alerts.services.alert_rules_create_defaults`).
organization_defaults_create: Hook[Callable[[Organization, Any], object]] = Hook(
    "organization_defaults_create"
)


def organization_create(*, user: Any, slug: str, name: str) -> Organization:
    """A new organization with its default alert rules; its creator becomes its first admin."""
    organization = Organization(slug=slug, name=name)
    organization.full_clean()
    with change_set(), transaction.atomic():
        organization._history_user = user  # type: ignore[attr-defined]  # read by simple-history
        organization.save()  # the settings' first revision: what later changes are measured against
        Membership.objects.create(organization=organization, user=user, role=Role.ADMIN)
        organization_defaults_create.call(organization, user)
    return organization


ORGANIZATION_SETTINGS = frozenset(
    {
        "name",
        "activity_window_days",
        "planning_horizon_days",
        "checkin_cadence_days",
        "default_task_effort_hours",
        "spread_thin_allocations",
    }
)


def organization_update(
    *, actor: Membership, data: Mapping[str, Any], expected_version: int | None = None, reason: str = ""
) -> Organization:
    """Change the organization's name or scoring parameters (admins only).

    The window, horizon and cadence are whole days, at least 1; the default effort is hours, not
    negative. A parameter whose value changes marks the scores stale; a new name does not. A change
    is kept in the plan history with the actor and `reason` (a save that changes nothing is not).
    """
    unknown = sorted(set(data) - ORGANIZATION_SETTINGS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown or read-only field."))
    with change_set(), transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
        if expected_version is not None and organization.version != expected_version:
            raise StaleVersionError(expected=expected_version, current=organization.version)
        require(actor, Resource.ORGANIZATION, Action.CHANGE, organization)
        before = {name: getattr(organization, name) for name in data}
        for name, value in data.items():
            setattr(organization, name, value)
        _validate_organization(organization)
        changed = {name for name in data if getattr(organization, name) != before[name]}
        organization.version += 1
        if changed:
            _save_with_history(organization, actor=actor, reason=reason)
        else:
            organization.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history
            organization.save()
        if changed - {"name"}:
            organization_mark_scores_stale(organization_id=organization.pk)
    return organization


# The longest window, horizon or cadence: ten years (date arithmetic over more is a mistake, not a plan).
MAX_PARAMETER_DAYS = 3650


def _validate_organization(organization: Organization) -> None:
    """`full_clean`, with each parameter's range checked on its own field (the database's check
    constraints would only say "constraint violated")."""
    errors: dict[str, list[str]] = {}
    try:
        organization.clean_fields()
    except ValidationError as error:
        errors = {
            name: [message for e in found for message in as_required(e).messages]
            for name, found in error.error_dict.items()
        }
    for name in ("activity_window_days", "planning_horizon_days", "checkin_cadence_days"):
        if name not in errors and getattr(organization, name) < 1:
            errors[name] = ["Must be at least 1 day."]
        elif name not in errors and getattr(organization, name) > MAX_PARAMETER_DAYS:
            errors[name] = [f"Must be at most {MAX_PARAMETER_DAYS} days (ten years)."]
    if "default_task_effort_hours" not in errors and organization.default_task_effort_hours < 0:
        errors["default_task_effort_hours"] = ["Must not be negative."]
    elif "default_task_effort_hours" not in errors and (
        too_much := hours_at_most(
            organization.default_task_effort_hours, task_effort_bound(), "the most a task's effort may be"
        )
    ):
        errors["default_task_effort_hours"] = [too_much]
    if errors:
        raise ValidationError(errors)
    organization.full_clean()


def membership_create(*, actor: Membership, user: Any, role: str) -> Membership:
    membership = Membership(organization_id=actor.organization_id, user=user, role=role)
    with transaction.atomic():
        require(actor, Resource.MEMBERSHIP, Action.CREATE, membership)
        membership.full_clean()
        membership.save()
    return membership


def membership_update(*, actor: Membership, membership: Membership, role: str) -> Membership:
    """Give a member another role; the organization's last admin cannot be demoted."""
    with transaction.atomic():
        row = _membership_locked(actor, membership)
        require(actor, Resource.MEMBERSHIP, Action.CHANGE, row)
        was_admin = row.role == Role.ADMIN
        row.role = role
        row.full_clean()
        if was_admin and row.role != Role.ADMIN:
            _refuse_losing_last_admin(row)
        row.save(update_fields=["role"])
    return row


def membership_delete(*, actor: Membership, membership: Membership) -> None:
    """Remove a member; the organization's last admin cannot be removed."""
    with transaction.atomic():
        row = _membership_locked(actor, membership)
        require(actor, Resource.MEMBERSHIP, Action.DELETE, row)
        if row.role == Role.ADMIN:
            _refuse_losing_last_admin(row)
        row.delete()


def _membership_locked(actor: Membership, membership: Membership) -> Membership:
    """The membership, in the actor's organization, read under a lock on that organization.

    Locking the organization row serializes membership changes, so two admins demoting each other
    at the same moment cannot both pass the last-admin check.
    """
    Organization.objects.select_for_update().get(pk=actor.organization_id)
    return Membership.objects.select_for_update().get(pk=membership.pk, organization_id=actor.organization_id)


def _refuse_losing_last_admin(membership: Membership) -> None:
    other_admins = Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.ADMIN
    ).exclude(pk=membership.pk)
    if not other_admins.exists():
        raise ValidationError({"role": "An organization keeps at least one admin."})
