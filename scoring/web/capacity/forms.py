"""The filters of the resources page."""

from __future__ import annotations

from django import forms

from execgap.web.forms import OrgForm
from objectives.models import Objective
from resources.models import Team


class ResourcesFilterForm(OrgForm):
    """`?team=<id>`: the team's (and the teams below it) objectives, initiatives and people.
    `?objective=<id>`: the initiatives of that objective and those below it (set by the links of the
    coverage by objective, hence no select of every objective)."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name", "id"), required=False, empty_label="All teams"
    )
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.order_by("id"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "There is no such objective in this organization."},
    )
