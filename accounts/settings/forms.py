"""The settings forms: the organization and its scoring parameters, teams, people and roles.

Every form is saved through its service (`execgap.services.organization_update`, `team_*`,
`person_*`, `membership_*`), never with `.save()`: the page refuses what the API refuses. Teams and
people are chosen with pickers (`execgap.web.picker`) that search as the admin types.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import MinValueValidator
from django.db.models import Q

from execgap.models import Organization, Role
from execgap.web.forms import OrgForm, OrgModelForm, ReasonField
from resources.models import Person, Team
from resources.web.search import person_picker, team_choices, team_picker

# SCORING.md "Inputs and parameters": what each parameter means, which scores read it, its unit.
PARAMETER_LABELS = {
    "activity_window_days": "Activity window (days)",
    "planning_horizon_days": "Planning horizon (days)",
    "checkin_cadence_days": "Check-in cadence (days)",
    "default_task_effort_hours": "Default task effort (hours)",
    "spread_thin_allocations": "Spread-thin threshold (allocations)",
}
PARAMETER_HELP = {
    "activity_window_days": (
        "How far back finished work still counts as activity, in whole days (at least 1). "
        "Alignment counts open tasks and the tasks finished within this window."
    ),
    "planning_horizon_days": (
        "How far ahead staffing is measured, in whole days (at least 1). Resources compares the "
        "work left on active initiatives with the allocated hours inside this horizon."
    ),
    "checkin_cadence_days": (
        "How old the latest check-in may be for an objective or initiative to count as fresh, in "
        "whole days (at least 1). Read by Adaptability (freshness) and People (participation)."
    ),
    "default_task_effort_hours": (
        "The effort of a task that has no estimate, in hours (not negative). Weighs tasks in "
        "Alignment and the work left in Resources."
    ),
    "spread_thin_allocations": (
        "A person with more concurrent allocations than this number is reported as spread thin (Resources)."
    ),
}
PARAMETERS = tuple(PARAMETER_LABELS)


class OrganizationForm(OrgModelForm):
    """The organization's name and its five scoring parameters (admins only), with the reason for a
    change, kept in the plan history."""

    reason = ReasonField(help_text="Optional. Shown in the plan history beside the change of the settings.")

    class Meta:
        model = Organization
        fields = ("name", *PARAMETERS)
        labels = {"name": "Organization name", **PARAMETER_LABELS}
        help_texts = PARAMETER_HELP

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The same lower bounds as the service's, so that the browser offers them too.
        for name in ("activity_window_days", "planning_horizon_days", "checkin_cadence_days"):
            self._set_min(name, 1)
        self._set_min("default_task_effort_hours", 0)

    def _set_min(self, name: str, minimum: int) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.IntegerField | forms.DecimalField)
        field.min_value = minimum
        field.widget.attrs["min"] = minimum
        others = [v for v in field.validators if not isinstance(v, MinValueValidator)]
        field.validators = [*others, MinValueValidator(minimum)]

    def _post_clean(self) -> None:
        """Model validation is left to `organization_update`: it checks each parameter's range and
        names the field, where the model's check constraints would only say "constraint violated"."""


class TeamForm(OrgModelForm):
    """A team: its name, the team it sits under and its lead (people and teams of the organization)."""

    class Meta:
        model = Team
        fields = ("name", "parent", "lead")
        labels = {"parent": "Part of team", "lead": "Team lead"}
        help_texts = {
            "parent": "Leave empty for a top-level team. A team cannot sit under itself or a team below it.",
            "lead": "The person who leads this team; team leads manage the plan of their team.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent: forms.ModelChoiceField[Team] = self.fields["parent"]  # type: ignore[assignment]
        lead: forms.ModelChoiceField[Person] = self.fields["lead"]  # type: ignore[assignment]
        # A team cannot move under itself or below itself: those are not offered.
        parent.queryset = team_choices(self.org, not_under=self.instance.pk)
        parent.empty_label = "No parent team (top level)"
        team_picker(self, "parent", self.org, not_under=self.instance.pk)
        # Active people, and the current lead even when no longer active (an edit keeps them).
        leads = Q(active=True) | Q(pk=self.instance.lead_id) if self.instance.lead_id else Q(active=True)
        lead.queryset = Person.objects.for_org(self.org.organization).filter(leads).order_by("name", "id")
        lead.empty_label = "No lead"
        # The team's own people first.
        person_picker(self, "lead", self.org, team_id=self.instance.pk)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        teams = Team.objects.for_org(self.org.organization).filter(name=name).exclude(pk=self.instance.pk)
        if teams.exists():
            raise forms.ValidationError("A team with this name already exists.")
        return name


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AbstractBaseUser) -> str:
        email = getattr(obj, "email", "")
        return f"{obj.get_username()} ({email})" if email else obj.get_username()


class PersonForm(OrgModelForm):
    """A person whose time the plan uses, optionally linked to a member's sign-in."""

    user = UserChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Signs in as",
        empty_label="Nobody (this person does not sign in)",
        help_text="A member of the organization; their tasks and check-ins then show on their My work page.",
    )

    class Meta:
        model = Person
        fields = ("name", "email", "team", "weekly_capacity_hours", "active", "user")
        labels = {"weekly_capacity_hours": "Weekly capacity (hours per week)", "active": "Active"}
        help_texts = {
            "email": "Optional; unique within the organization.",
            "weekly_capacity_hours": "Hours per week this person can give to the plan (not negative).",
            "active": "Inactive people keep their history but count as no capacity and own nothing.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user: UserChoiceField = self.fields["user"]  # type: ignore[assignment]
        # The organization's members who have no person record yet (or are this person).
        linked = Person.objects.for_org(self.org.organization).filter(user__isnull=False)
        user.queryset = (
            get_user_model()
            .objects.filter(memberships__organization_id=self.org.organization.pk)
            .exclude(pk__in=linked.exclude(pk=self.instance.pk).values("user_id"))
            .order_by("username")
        )
        team: forms.ModelChoiceField[Team] = self.fields["team"]  # type: ignore[assignment]
        team.empty_label = "No team"
        team_picker(self, "team", self.org)

    def _taken(self, **lookup: Any) -> bool:
        people = Person.objects.for_org(self.org.organization).filter(**lookup)
        return people.exclude(pk=self.instance.pk).exists()

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if email and self._taken(email=email):
            raise forms.ValidationError("Another person of the organization has this email.")
        return email


class DeleteForm(OrgForm):
    """A confirmed deletion of the row in the version the user saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RoleForm(OrgForm):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
