"""The choices a client makes for one import, checked before any row is read.

- `status_map`: Jira status name → ExecGap task status, over the defaults (`DEFAULT_STATUS_MAP`);
  names match whatever their case and spacing.
- `link_map`: a parent as the file names it (an issue key, an id, a title; case and spacing do not
  matter) → `{"initiative": id}` or `{"objective": id}`, when no goal is titled like it.
- `team`: the team of every imported task (JSON rows that name their own team keep it).
- `base_url`: each task's `external_url` is `<base_url>/browse/<Issue key>` (or `base_url` with
  `{key}` replaced, when it has one).
- `timezone`: how to read Jira's dates and times that carry no offset (default UTC).
- `skip_errors`: commit the good rows and skip the bad ones (default: a bad row stops the commit).
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from objectives.models import TaskStatus

GoalKind = Literal["initiative", "objective"]
GOAL_KINDS: tuple[GoalKind, ...] = ("initiative", "objective")

DEFAULT_STATUS_MAP: Mapping[str, str] = {
    "to do": TaskStatus.TODO,
    "open": TaskStatus.TODO,
    "backlog": TaskStatus.TODO,
    "in progress": TaskStatus.IN_PROGRESS,
    "in review": TaskStatus.IN_PROGRESS,
    "blocked": TaskStatus.BLOCKED,
    "done": TaskStatus.DONE,
    "closed": TaskStatus.DONE,
    "resolved": TaskStatus.DONE,
    "won't do": TaskStatus.CANCELLED,
    "cancelled": TaskStatus.CANCELLED,
}

_SPACES = re.compile(r"\s+")
_TASK_STATUSES = frozenset(TaskStatus.values)


def normalized(text: str) -> str:
    """How names are compared: case and runs of spaces (line breaks too) do not matter."""
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class ImportOptions:
    status_map: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS_MAP))
    link_map: Mapping[str, tuple[GoalKind, int]] = field(default_factory=dict)
    team_id: int | None = None
    base_url: str = ""
    timezone: str = "UTC"
    skip_errors: bool = False
    _goals: dict[str, tuple[GoalKind, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_goals", {normalized(ref): goal for ref, goal in self.link_map.items()})

    def status_for(self, name: str) -> str | None:
        """The task status a status name stands for (ExecGap's own values are accepted as they are)."""
        key = normalized(name)
        if key in _TASK_STATUSES:
            return key
        return self.status_map.get(key)

    def goal_for(self, reference: str) -> tuple[GoalKind, int] | None:
        return self._goals.get(normalized(reference))

    def url_for(self, key: str) -> str:
        if "{key}" in self.base_url:
            return self.base_url.replace("{key}", key)
        return f"{self.base_url.rstrip('/')}/browse/{key}"

    def as_json(self) -> dict[str, Any]:
        return {
            "status_map": dict(self.status_map),
            "link_map": {reference: {kind: pk} for reference, (kind, pk) in self.link_map.items()},
            "team": self.team_id,
            "base_url": self.base_url,
            "timezone": self.timezone,
            "skip_errors": self.skip_errors,
        }


def import_options(
    *,
    status_map: Any = None,
    link_map: Any = None,
    team: Any = None,
    base_url: Any = None,
    timezone: Any = None,
    skip_errors: bool = False,
) -> ImportOptions:
    """Check the client's options (their shape; the ids are checked against the organization when
    the rows are). Raises ValidationError keyed by option."""
    errors: dict[str, str] = {}
    statuses = dict(DEFAULT_STATUS_MAP)
    try:
        statuses.update(_status_map(status_map))
    except ValueError as error:
        errors["status_map"] = str(error)
    links: dict[str, tuple[GoalKind, int]] = {}
    try:
        links = _link_map(link_map)
    except ValueError as error:
        errors["link_map"] = str(error)
    team_id = None
    if team not in (None, ""):
        if isinstance(team, bool) or not str(team).isdigit():
            errors["team"] = "Give a team's id."
        else:
            team_id = int(team)
    url = str(base_url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url.replace("{key}", "KEY-1"))
        except ValidationError:
            errors["base_url"] = "Give the Jira site's address, such as https://acme.atlassian.net."
    zone = str(timezone or "UTC").strip()
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = "Give a time zone name, such as Europe/Paris."
    if errors:
        raise ValidationError(errors)
    return ImportOptions(
        status_map=statuses, link_map=links, team_id=team_id, base_url=url, timezone=zone,
        skip_errors=bool(skip_errors),
    )  # fmt: skip


def import_options_from_json(data: Mapping[str, Any]) -> ImportOptions:
    """The options `ImportOptions.as_json` stored (checked again: a job may run later)."""
    return import_options(
        status_map=data.get("status_map"),
        link_map=data.get("link_map"),
        team=data.get("team"),
        base_url=data.get("base_url"),
        timezone=data.get("timezone"),
        skip_errors=bool(data.get("skip_errors")),
    )


def _json_object(value: Any, what: str) -> Mapping[str, Any]:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise ValueError(f"Give {what} as a JSON object.") from error
    if not isinstance(value, Mapping):
        raise ValueError(f"Give {what} as a JSON object.")
    return value


def _status_map(value: Any) -> dict[str, str]:
    mapping = _json_object(value, 'the status map (Jira status → "todo", "in_progress", ...)')
    result: dict[str, str] = {}
    for name, status in mapping.items():
        if not isinstance(status, str) or status not in TaskStatus.values:
            raise ValueError(
                f"{name!r} maps to {status!r}, which is not a task status ({', '.join(TaskStatus.values)})."
            )
        result[normalized(name)] = status
    return result


def _link_map(value: Any) -> dict[str, tuple[GoalKind, int]]:
    mapping = _json_object(value, 'the link map (parent → {"initiative": id} or {"objective": id})')
    result: dict[str, tuple[GoalKind, int]] = {}
    for reference, goal in mapping.items():
        if not (
            isinstance(goal, Mapping)
            and len(goal) == 1
            and next(iter(goal)) in GOAL_KINDS
            and isinstance(next(iter(goal.values())), int)
            and not isinstance(next(iter(goal.values())), bool)
        ):
            raise ValueError(f'{reference!r}: map it to {{"initiative": id}} or {{"objective": id}}.')
        kind, pk = next(iter(goal.items()))
        result[reference] = (kind, pk)
    return result
