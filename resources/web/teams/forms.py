"""The forms of the team pages: the task filter, bulk linking and allocations (the task import's are in
`import_forms`).

People and goals are chosen with pickers (`execgap.web.picker`) that search as the member types.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict

from execgap.roles import Action
from execgap.web.forms import OrgForm, OrgModelForm, ReasonField
from execgap.web.pages import OrgContext
from objectives.models import Initiative, Objective, Task, TaskStatus
from objectives.web.goal_search import goal_field, goal_field_picker, goal_picker, initiative_choices
from resources.models import Allocation, Person, Team
from resources.web.search import person_picker


class TeamTaskFilter(django_filters.FilterSet):
    """The workspace's task filter (GET parameters): status, linked or not, assignee, title search."""

    LINKED, UNLINKED = "linked", "unlinked"

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title contains")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, empty_label="Any status")
    link = django_filters.ChoiceFilter(
        label="Link to a goal",
        choices=((LINKED, "Linked to a goal"), (UNLINKED, "Unlinked")),
        empty_label="Linked or not",
        method="filter_link",
    )
    assignee = django_filters.ModelChoiceFilter(
        queryset=Person.objects.none(), empty_label="Anyone", null_label="Nobody", null_value="none"
    )

    class Meta:
        model = Task
        fields = ("q", "status", "link", "assignee")

    def __init__(self, *args: Any, org: OrgContext, team: Team | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.for_org(org.organization).order_by("name", "id")
        self.filters["assignee"].queryset = people
        self.form.fields["assignee"].queryset = people
        # The team's people first; "Anyone" and "Nobody" are always offered.
        person_picker(
            self.form, "assignee", org, team_id=team.pk if team else None,
            fixed=[("", "Anyone"), ("none", "Nobody")],
        )  # fmt: skip

    def filter_link(self, queryset: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        unlinked = Q(initiative__isnull=True, objective__isnull=True)
        return queryset.filter(unlinked) if value == self.UNLINKED else queryset.exclude(unlinked)


class BulkLinkForm(OrgForm):
    """Link the checked tasks of a team to one goal (an initiative or an objective)."""

    tasks = forms.ModelMultipleChoiceField(
        queryset=Task.objects.none(),
        widget=forms.MultipleHiddenInput,  # the checkboxes are drawn in the table's rows
        error_messages={
            "required": "Select at least one task.",
            "invalid_choice": "Task %(value)s is not one of this team's tasks.",
        },
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = (  # type: ignore[attr-defined]
            Task.objects.for_org(self.org.organization).filter(team=team).order_by("pk")
        )
        # Any open goal of the organization: initiatives not done or cancelled, objectives not
        # achieved or cancelled.
        self.fields["goal"] = goal_field(self.org, scope="open", label="Goal to link the selected tasks to")
        goal_field_picker(self, "goal", self.org, scope="open")

    def clean_goal(self) -> dict[str, Initiative | Objective]:
        """`initiative=` or `objective=` for the service: the chosen goal, read in the organization."""
        goal: Initiative | Objective = self.cleaned_data["goal"]
        return {"initiative": goal} if isinstance(goal, Initiative) else {"objective": goal}

    def task_ids(self) -> list[int]:
        return [task.pk for task in self.cleaned_data["tasks"]]

    def selected_ids(self) -> set[str]:
        """The checked tasks as the user sent them (to keep them checked when the form is redisplayed)."""
        return (
            {str(value) for value in self.data.getlist("tasks")}
            if isinstance(self.data, QueryDict)
            else set()
        )


class AllocationForm(OrgModelForm):
    """A person's hours per week on an initiative; saved through `resources.services`."""

    reason = ReasonField()

    class Meta:
        model = Allocation
        fields = ("initiative", "person", "hours_per_week", "start_date", "end_date")
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "hours_per_week": "Hours per week this person gives to the initiative.",
            "start_date": "Optional: empty means from now on.",
            "end_date": "Optional: empty means open-ended.",
        }

    def __init__(self, *args: Any, org: OrgContext, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        # A role that staffs only its own teams' initiatives is offered those (the team of an
        # initiative with none is its objective's, as the rule table reads it).
        action = Action.CREATE if self.instance.pk is None else Action.CHANGE
        self.fields["initiative"].queryset = initiative_choices(  # type: ignore[attr-defined]
            org, scope="staffing", action=action
        )
        goal_picker(self, "initiative", org, kind="initiative", scope="staffing")
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.for_org(org.organization)
            .filter(Q(active=True) | Q(pk=self.instance.person_id))
            .order_by("name", "id")
        )
        # The initiative's team's people first (the one posted, when a Find shows the form again).
        initiative = (
            self.instance.initiative if self.instance.initiative_id else self.initial.get("initiative")
        )
        if initiative is None and self.is_bound:
            chosen = str(self.data.get("initiative", ""))
            if chosen.isdigit():
                initiative = self.fields["initiative"].queryset.filter(pk=chosen).first()  # type: ignore[attr-defined]
        person_picker(self, "person", org, team_id=getattr(initiative, "team_id", None))


class AllocationDeleteForm(OrgForm):
    """Remove an allocation: the version the user saw, and why."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = ReasonField()
