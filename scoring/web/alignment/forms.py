"""Forms of the alignment page: the filters of the work list, and linking one task to a goal."""

from __future__ import annotations

from typing import Any

from django import forms

from execgap.web.forms import OrgForm
from execgap.web.picker import use_picker
from objectives.models import Initiative, Objective
from resources.web.search import TeamFilterForm
from scoring.web.alignment.goal_search import alignment_goal_source
from scoring.web.alignment.selectors import Goal, LinkGoals

CLASS_CHOICES = [("", "Orphan and misaligned"), ("orphan", "Orphan only"), ("misaligned", "Misaligned only")]
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


class AlignmentFilterForm(TeamFilterForm):
    """`?team=<id>&class=orphan|misaligned`: narrow the page to a team (and the teams below it)."""

    task_class = forms.ChoiceField(label="Work", choices=CLASS_CHOICES, required=False)

    team_empty_label = "All teams"

    def add_prefix(self, field_name: str) -> str:
        # The query string says `class` (a keyword in Python, hence the field's name).
        return "class" if field_name == "task_class" else super().add_prefix(field_name)


class TaskLinkForm(OrgForm):
    """Link one task to a live objective or an active initiative serving one.

    The goal is chosen with a picker over exactly the goals `link_goals` offers (`goals`): another
    organization's goal, or one that is done, cancelled or not active, is "not one of the available
    choices" and changes nothing. `task_title` names the field after the task (a row of the page).
    """

    goal = forms.CharField(label="Goal")

    def __init__(self, *args: Any, goals: LinkGoals, task_title: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        if task_title:
            self.fields["goal"].label = f"Goal for “{task_title}”"
        use_picker(self, "goal", alignment_goal_source(self.org, goals), fixed=[("", "Choose a goal…")])

    def clean_goal(self) -> str:
        value: str = self.cleaned_data["goal"]
        goal = self.goals.find(value)
        if goal is None:
            raise forms.ValidationError(INVALID_CHOICE, code="invalid_choice")
        model: type[Objective] | type[Initiative] = Objective if goal.kind == "objective" else Initiative
        row = model.objects.for_org(self.org.organization).filter(pk=goal.id).first()
        if row is None:  # deleted since the choices were read
            raise forms.ValidationError("This goal no longer exists: choose another one.")
        self.chosen: Goal = goal
        self.goal_row = row
        return value

    def service_kwargs(self) -> dict[str, Any]:
        """`objective=` or `initiative=` for `task_link_to_goal` (after `is_valid()`)."""
        return {self.chosen.kind: self.goal_row}
