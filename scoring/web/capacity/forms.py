"""The filter of the resources page."""

from __future__ import annotations

from django import forms

from execgap.web.forms import OrgForm
from resources.models import Team


class ResourcesFilterForm(OrgForm):
    """`?team=<id>`: the team's (and the teams below it) objectives, initiatives and people."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name", "id"), required=False, empty_label="All teams"
    )
