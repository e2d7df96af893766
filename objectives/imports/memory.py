"""What a team's lead mapped on its imports, remembered as the defaults of the team's next import.

`TaskImportMapping` holds, per team, the status names the lead mapped (a name → a task status) and
the parents they mapped to goals (an epic's key or Issue id, a parent's title, a GitHub milestone or
label → `{"initiative": id}` or `{"objective": id}`). The model lives here, beside the imports; the
`objectives` app registers it (`objectives.models` imports it).
"""

from __future__ import annotations

from django.db import models

from execgap.tenancy import OrgOwnedModel


class TaskImportMapping(OrgOwnedModel):
    """One team's remembered import mapping (see the module's docstring); names are kept as the file
    wrote them and compared, when used, whatever their case and spacing."""

    team = models.OneToOneField("resources.Team", on_delete=models.CASCADE, related_name="import_mapping")
    status_map = models.JSONField(default=dict, blank=True)
    link_map = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "objectives"

    def __str__(self) -> str:
        return f"Import mapping of team {self.team_id}"
