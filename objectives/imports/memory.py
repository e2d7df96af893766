"""What a team's lead mapped on its imports, remembered as the defaults of the team's next import.

`TaskImportMapping` holds, per team, the status names the lead mapped (a name → a task status) and
the parents they mapped to goals (an epic's key or Issue id, a parent's title, a GitHub milestone or
label → `{"initiative": id}` or `{"objective": id}`). The model lives here, beside the imports; the
`objectives` app registers it (`objectives.models` imports it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.db import models

from execgap.tenancy import OrgOwnedModel

# As `objectives.imports.options` names them (not imported: this module loads with the models).
GoalKind = Literal["initiative", "objective"]
GOAL_KINDS = ("initiative", "objective")


class TaskImportMapping(OrgOwnedModel):
    """One team's remembered import mapping (see the module's docstring): status names as they are
    compared (lower case, single spaces), parents as the file wrote them (compared, when used,
    whatever their case and spacing)."""

    team = models.OneToOneField("resources.Team", on_delete=models.CASCADE, related_name="import_mapping")
    status_map = models.JSONField(default=dict, blank=True)
    link_map = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "objectives"

    def __str__(self) -> str:
        return f"Import mapping of team {self.team_id}"


def _task_statuses() -> list[str]:
    from objectives.models import TaskStatus

    return list(TaskStatus.values)


def import_mapping_read(
    *, organization_id: int, team_id: int
) -> tuple[dict[str, str], dict[str, tuple[GoalKind, int]]]:
    """The team's remembered status names and parents (empty when it has none). A remembered goal
    deleted since is left out when the rows are resolved, not here (one query)."""
    stored = (
        TaskImportMapping.objects.for_org(organization_id)
        .filter(team_id=team_id)
        .values_list("status_map", "link_map")
        .first()
    )
    if stored is None:
        return {}, {}
    statuses, links = stored
    return _statuses(statuses), _links(links)


def import_mapping_remember(
    *,
    organization_id: int,
    team_id: int,
    statuses: Mapping[str, str],
    links: Mapping[str, tuple[GoalKind, int]],
) -> None:
    """Remember these (over what the team had: a name mapped again takes its new value). Call inside
    the import's transaction; nothing to remember writes nothing."""
    if not statuses and not links:
        return
    mapping, _ = TaskImportMapping.objects.select_for_update().get_or_create(
        organization_id=organization_id, team_id=team_id
    )
    mapping.status_map = dict(mapping.status_map or {}) | dict(statuses)
    mapping.link_map = dict(mapping.link_map or {}) | {ref: {kind: pk} for ref, (kind, pk) in links.items()}
    mapping.version += 1
    mapping.save(update_fields=["status_map", "link_map", "version", "updated_at"])


def _statuses(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(name): status for name, status in value.items() if status in _task_statuses()}


def _links(value: Any) -> dict[str, tuple[GoalKind, int]]:
    if not isinstance(value, dict):
        return {}
    found: dict[str, tuple[GoalKind, int]] = {}
    for ref, goal in value.items():
        if isinstance(goal, dict) and len(goal) == 1:
            kind, pk = next(iter(goal.items()))
            if kind in GOAL_KINDS and isinstance(pk, int):
                found[str(ref)] = (kind, pk)
    return found
