"""The forms of the scenarios pages: a scenario's name, one form per kind of change, apply, compare.

A change form turns what the member chose into the `values` a change of its kind holds
(`scenarios.edits`): ids, hours and dates as JSON. The service checks the change against the plan
with the changes before it; what it refuses is said at the top of the form, everything entered kept.
People, goals, allocations and tasks are chosen with pickers (search as you type; Find without
JavaScript).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import Q

from execgap.web.forms import OrgForm, OrgModelForm
from execgap.web.pages import OrgContext
from objectives.models import Initiative, InitiativeStatus, Objective, ObjectiveStatus
from objectives.web.goal_search import goal_field, goal_field_picker, goal_picker, initiative_choices
from resources.models import Allocation, Person
from resources.web.search import person_picker
from scenarios.models import ChangeKind, Scenario
from scenarios.web.search import (
    AllocationChoiceField,
    allocation_choices,
    allocation_picker,
    task_choices,
    task_picker,
    today,
)

DATE = forms.DateInput(attrs={"type": "date"})
MAX_COMPARED = 3


class ScenarioForm(OrgModelForm):
    class Meta:
        model = Scenario
        fields = ("name", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def _hours(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(min_value=Decimal(0), max_digits=10, decimal_places=2, **kwargs)


def _plain(value: Any) -> Any:
    """A cleaned value as a change's JSON holds it."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


class ChangeForm(OrgForm):
    """One change of a scenario; `change_data()` is what `change_add` takes."""

    kind: ClassVar[ChangeKind]
    target: ClassVar[str | None] = None  # the field naming the changed row
    value_fields: ClassVar[tuple[str, ...]] = ()  # the fields that become `values`, by their name
    optional_values: ClassVar[bool] = False  # set only the fields filled in (at least one)

    reason = forms.CharField(
        label="Why",
        required=False,
        max_length=300,
        help_text="Optional: kept with the change, and shown beside it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "reason"] + ["reason"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.optional_values and not any(
            cleaned.get(name) not in (None, "") for name in self.value_fields
        ):
            raise forms.ValidationError("Fill in at least one of the values to change.")
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: _plain(data.get(name))
            for name in self.value_fields
            if not self.optional_values or data.get(name) not in (None, "")
        }

    def change_data(self) -> dict[str, Any]:
        target = self.cleaned_data.get(self.target) if self.target else None
        return {
            "kind": self.kind.value,
            "target_id": target.pk if target is not None else None,
            "values": self.values(),
            "reason": self.cleaned_data.get("reason") or "",
        }


def _allocation_field(label: str, org: OrgContext) -> AllocationChoiceField:
    return AllocationChoiceField(
        queryset=allocation_choices(org), label=label, empty_label="Choose an allocation"
    )


def _initiative_field(form: ChangeForm, name: str, label: str, **kwargs: Any) -> None:
    form.fields[name] = forms.ModelChoiceField(
        queryset=initiative_choices(form.org, scope="open"),
        label=label,
        empty_label="Choose an initiative",
        **kwargs,
    )
    goal_picker(form, name, form.org, kind="initiative", scope="open")


def _person_field(form: ChangeForm, name: str, label: str) -> None:
    form.fields[name] = forms.ModelChoiceField(
        queryset=Person.objects.for_org(form.org.organization).filter(active=True),
        label=label,
        empty_label="Choose a person",
    )
    person_picker(form, name, form.org)


class AllocationAddForm(ChangeForm):
    kind = ChangeKind.ALLOCATION_ADD
    value_fields = ("person", "initiative", "hours_per_week", "start_date", "end_date")

    hours_per_week = _hours(label="Hours per week")
    start_date = forms.DateField(required=False, widget=DATE, help_text="Optional: empty means from now on.")
    end_date = forms.DateField(required=False, widget=DATE, help_text="Optional: empty means open-ended.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _person_field(self, "person", "Person")
        _initiative_field(self, "initiative", "Initiative")
        self.order_fields(["person", "initiative", "hours_per_week", "start_date", "end_date", "reason"])


class AllocationChangeForm(ChangeForm):
    kind = ChangeKind.ALLOCATION_CHANGE
    target = "allocation"
    value_fields = ("hours_per_week", "start_date", "end_date")
    optional_values = True

    hours_per_week = _hours(label="New hours per week", required=False, help_text="Empty: unchanged.")
    start_date = forms.DateField(
        label="New start date", required=False, widget=DATE, help_text="Empty: unchanged."
    )
    end_date = forms.DateField(
        label="New end date", required=False, widget=DATE, help_text="Empty: unchanged."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocation"] = _allocation_field("Allocation", self.org)
        allocation_picker(self, "allocation", self.org)
        self.order_fields(["allocation", "hours_per_week", "start_date", "end_date", "reason"])


class AllocationEndForm(ChangeForm):
    kind = ChangeKind.ALLOCATION_END
    target = "allocation"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocation"] = _allocation_field("Allocation to end", self.org)
        self.fields[
            "allocation"
        ].help_text = "It stops the day before today (or goes, if it has not started)."
        allocation_picker(self, "allocation", self.org)
        self.order_fields(["allocation", "reason"])


class HoursMoveForm(ChangeForm):
    kind = ChangeKind.HOURS_MOVE
    target = "allocation"

    hours_per_week = _hours(label="Hours per week to move")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocation"] = _allocation_field("Move hours from the allocation", self.org)
        allocation_picker(self, "allocation", self.org)
        _initiative_field(self, "initiative", "To the initiative")
        self.order_fields(["allocation", "initiative", "hours_per_week", "reason"])

    def values(self) -> dict[str, Any]:
        source: Allocation = self.cleaned_data["allocation"]
        initiative: Initiative = self.cleaned_data["initiative"]
        # Into the person's current allocation there, if they have one (else a new one is drafted).
        on = today()
        into = (
            Allocation.objects.for_org(self.org.organization)
            .filter(person_id=source.person_id, initiative=initiative)
            .filter(
                Q(start_date__isnull=True) | Q(start_date__lte=on),
                Q(end_date__isnull=True) | Q(end_date__gte=on),
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        return {
            "initiative": initiative.pk,
            "hours_per_week": _plain(self.cleaned_data["hours_per_week"]),
            "into": into,
        }


STATUS_UNCHANGED = [("", "Unchanged")]


class InitiativeChangeForm(ChangeForm):
    kind = ChangeKind.INITIATIVE_CHANGE
    target = "initiative"
    value_fields = ("status", "estimate_hours", "end_date")
    optional_values = True

    status = forms.ChoiceField(
        label="New status", required=False, choices=STATUS_UNCHANGED + InitiativeStatus.choices
    )
    estimate_hours = _hours(label="New estimate (hours)", required=False, help_text="Empty: unchanged.")
    end_date = forms.DateField(
        label="New end date", required=False, widget=DATE, help_text="Empty: unchanged."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"] = forms.ModelChoiceField(
            queryset=Initiative.objects.for_org(self.org.organization), label="Initiative",
            empty_label="Choose an initiative",
        )  # fmt: skip
        goal_picker(self, "initiative", self.org, kind="initiative")
        self.order_fields(["initiative", "status", "estimate_hours", "end_date", "reason"])


class ObjectiveChangeForm(ChangeForm):
    kind = ChangeKind.OBJECTIVE_CHANGE
    target = "objective"
    value_fields = ("status", "priority_weight")
    optional_values = True

    status = forms.ChoiceField(
        label="New status", required=False, choices=STATUS_UNCHANGED + ObjectiveStatus.choices
    )
    priority_weight = forms.DecimalField(
        label="New priority weight", required=False, max_digits=10, decimal_places=4,
        help_text="Empty: unchanged. Its share of its parent's intended effort grows with it.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"] = forms.ModelChoiceField(
            queryset=Objective.objects.for_org(self.org.organization), label="Objective",
            empty_label="Choose an objective",
        )  # fmt: skip
        goal_picker(self, "objective", self.org, kind="objective")
        self.order_fields(["objective", "status", "priority_weight", "reason"])

    def clean_priority_weight(self) -> Decimal | None:
        weight: Decimal | None = self.cleaned_data.get("priority_weight")
        if weight is not None and weight <= 0:
            raise forms.ValidationError("A priority weight is more than 0.")
        return weight


class PersonChangeForm(ChangeForm):
    kind = ChangeKind.PERSON_CHANGE
    target = "person"
    value_fields = ("weekly_capacity_hours",)

    weekly_capacity_hours = _hours(label="New weekly capacity (hours)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _person_field(self, "person", "Person")
        self.order_fields(["person", "weekly_capacity_hours", "reason"])


class TasksRelinkForm(ChangeForm):
    kind = ChangeKind.TASKS_RELINK

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"] = forms.ModelChoiceField(
            queryset=task_choices(self.org), label="Task", empty_label="Choose a task",
            help_text="One task a change: add another change to relink more.",
        )  # fmt: skip
        task_picker(self, "task", self.org)
        self.fields["goal"] = goal_field(self.org, scope="open", label="Link it to the goal")
        goal_field_picker(self, "goal", self.org, scope="open")
        self.order_fields(["task", "goal", "reason"])

    def values(self) -> dict[str, Any]:
        goal = self.cleaned_data["goal"]
        link = "initiative" if isinstance(goal, Initiative) else "objective"
        return {"tasks": [self.cleaned_data["task"].pk], link: goal.pk}


CHANGE_FORMS: dict[str, type[ChangeForm]] = {
    form.kind.value: form
    for form in (
        HoursMoveForm,
        AllocationAddForm,
        AllocationChangeForm,
        AllocationEndForm,
        InitiativeChangeForm,
        ObjectiveChangeForm,
        PersonChangeForm,
        TasksRelinkForm,
    )
}


# The kinds of change, in the order the editor offers them.
KINDS = [(kind, form.kind.label) for kind, form in CHANGE_FORMS.items()]


class ApplyForm(forms.Form):
    reason = forms.CharField(
        label="Why the plan changes",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required: kept with every revision the scenario makes, in the plan history.",
        error_messages={"required": "Say why the plan changes: it is kept with every revision."},
    )
