from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from execgap.history import plan_history
from execgap.tenancy import OrgOwnedModel
from execgap.validators import (
    HOURS_IN_A_WEEK,
    date_range_errors,
    dates_ordered,
    hours_at_most,
    not_negative,
    tree_cycle_error,
)


class Team(OrgOwnedModel):
    """A team; teams form a tree through `parent` (a change that makes a cycle is refused)."""

    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lead = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams_led"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="team_unique_name_per_org",
                violation_error_message="A team with this name already exists.",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="team_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors()
        if "parent" not in errors and self.parent_id is not None:
            edges = dict(Team.objects.for_org(self.organization_id).values_list("id", "parent_id"))
            cycle = tree_cycle_error(self.pk, self.parent_id, edges)
            if cycle:
                errors["parent"] = cycle
        return errors


class Person(OrgOwnedModel):
    """Someone whose time the plan uses. `weekly_capacity_hours` is hours per week (at most 168)."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    weekly_capacity_hours = models.DecimalField(
        max_digits=10, decimal_places=2, default=Decimal(40), validators=[not_negative]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        # The people lists walk the first index in their order, a page at a time; a people picker's
        # first list (nothing typed yet: everyone, by name case-insensitively) the second. The counts
        # of people are read from the last two alone (index-only scans): the active and inactive
        # people of the organization, and the people (or active people) of each team on a page of teams.
        indexes = [
            models.Index(fields=["organization", "name", "id"], name="person_by_name"),
            models.Index(F("organization"), Lower("name"), F("id"), name="person_picker_order"),
            models.Index(fields=["organization", "active"], name="person_active"),
            models.Index(fields=["organization", "team", "active"], name="person_team"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_capacity_hours__gte=0), name="person_capacity_not_negative"
            ),
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(user__isnull=False),
                name="person_unique_user_per_org",
                violation_error_message="This user already has a person record in this organization.",
            ),
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=~Q(email=""),
                name="person_unique_email_per_org",
                violation_error_message="A person with this email already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def validation_errors(self) -> dict[str, str]:
        errors = super().validation_errors()
        too_much = hours_at_most(self.weekly_capacity_hours, HOURS_IN_A_WEEK, "the hours in a week")
        if too_much:
            errors["weekly_capacity_hours"] = too_much
        return errors


class Allocation(OrgOwnedModel):
    """A person's hours per week on an initiative over `[start_date, end_date]` (either end may be open)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allocations")
    initiative = models.ForeignKey(
        "objectives.Initiative", on_delete=models.CASCADE, related_name="allocations"
    )
    hours_per_week = models.DecimalField(max_digits=10, decimal_places=2, validators=[not_negative])
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = plan_history()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["organization", "initiative"]),
            models.Index(fields=["organization", "person"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours_per_week__gte=0), name="allocation_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="allocation_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.initiative}: {self.hours_per_week} h/week"

    def validation_errors(self) -> dict[str, str]:
        """At most 168 hours a week, dates in range and ordered, and no other allocation of the
        person to the initiative over a day of this one's (one query)."""
        errors = (
            super().validation_errors()
            | dates_ordered(self.start_date, self.end_date)
            | date_range_errors(self, "start_date", "end_date")
        )
        too_much = hours_at_most(self.hours_per_week, HOURS_IN_A_WEEK, "the hours in a week")
        if too_much:
            errors["hours_per_week"] = too_much
        if not {"start_date", "end_date"} & set(errors):
            overlap = allocation_overlap_error(self)
            if overlap:
                errors["start_date"] = overlap
        return errors


def allocation_overlap_error(row: Allocation) -> str | None:
    """The refusal of an allocation whose dates meet another of the same person to the same
    initiative (both ends included; an open end runs for ever), naming that one; None when fine.

    One query, within the row's organization (a person or initiative of another organization has
    no allocations there, so nothing of it is revealed).
    """
    if row.person_id is None or row.initiative_id is None or row.organization_id is None:
        return None
    if not all(isinstance(day, (datetime.date, type(None))) for day in (row.start_date, row.end_date)):
        return None  # a date that failed its own field check
    others = Allocation.objects.for_org(row.organization_id).filter(
        person_id=row.person_id, initiative_id=row.initiative_id
    )
    if row.pk is not None:
        others = others.exclude(pk=row.pk)
    if row.end_date is not None:
        others = others.filter(Q(start_date__isnull=True) | Q(start_date__lte=row.end_date))
    if row.start_date is not None:
        others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=row.start_date))
    other = others.select_related("person").order_by("start_date", "pk").first()
    if other is None:
        return None
    start = other.start_date.isoformat() if other.start_date else "the start"
    end = other.end_date.isoformat() if other.end_date else "no end"
    return (
        f"{other.person.name} is already allocated to this initiative (from {start} to {end}, "
        f"{other.hours_per_week.normalize():f} h a week): change that allocation, or choose dates that "
        "do not overlap it."
    )
