"""The choices a client makes for one import, checked before any row is read.

- `status_map`: a status name → ExecGap task status, over the defaults (`DEFAULT_STATUS_MAP`: the
  statuses of Jira's default workflows) and the team's remembered mapping; names match whatever
  their case and spacing.
- `link_map`: a parent as the file names it (an epic's or parent's Issue key or Issue id, a parent's
  title, a GitHub milestone or label; case and spacing do not matter) → `{"initiative": id}` or
  `{"objective": id}`, over the team's remembered mapping.
- `team`: the team of every imported task (JSON rows that name their own team keep it); an import
  into a team uses, and on commit remembers, the team's mapping (`objectives.imports.memory`).
- `base_url`: each task's `external_url` is `<site>/browse/<Issue key>`, or `base_url` with `{key}`
  replaced. The site is read as a lead pastes it (`site_url`): spaces, trailing slashes and a
  trailing `/browse` dropped, an issue's own link read as its site.
- `timezone`: how to read dates and times that carry no offset (Jira writes none; default UTC).
- `all_or_nothing`: a bad row stops the whole commit (default: every good row is committed and the
  bad ones are reported). `skip_errors`, its opposite, is still understood.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from execgap.json_input import json_loads_bounded
from objectives.models import TaskStatus

GoalKind = Literal["initiative", "objective"]
GOAL_KINDS: tuple[GoalKind, ...] = ("initiative", "objective")

_TODO, _DOING, _BLOCKED, _DONE, _CANCELLED = (
    TaskStatus.TODO, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.DONE, TaskStatus.CANCELLED,
)  # fmt: skip

# The statuses of Jira's default workflows (Jira Software's simplified, Scrum and Kanban templates and
# its classic "jira" workflow; Jira Service Management's service request, incident, problem and
# change workflows; Jira Work Management's), by the status category Jira puts each in: waiting to be
# started, being worked on (or waiting on someone outside the team: blocked), finished, or dropped.
DEFAULT_STATUS_MAP: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "to do", "open", "new", "backlog", "selected for development", "ready for development",
            "reopened", "waiting for support", "planning", "awaiting approval",
            "awaiting implementation", "awaiting cab approval", "scheduled for implementation",
            "authorize", "ready",
        ),
        _TODO,
    ),
    **dict.fromkeys(
        (
            "in progress", "in review", "code review", "review", "under review", "in testing", "testing",
            "work in progress", "implementing", "under investigation", "investigating", "escalated",
            "peer review / change manager approval",
        ),
        _DOING,
    ),
    **dict.fromkeys(("blocked", "on hold", "pending", "waiting for customer", "waiting"), _BLOCKED),
    **dict.fromkeys(("done", "closed", "resolved", "completed", "fixed", "failed"), _DONE),
    **dict.fromkeys(
        ("won't do", "won't fix", "canceled", "cancelled", "declined", "rejected", "duplicate"),
        _CANCELLED,
    ),
}  # fmt: skip

_SPACES = re.compile(r"\s+")
# An issue's own link (…/browse/PLAT-902), or the browse path alone, at the end of a site address.
_BROWSE_TAIL = re.compile(r"(/+browse(/+[a-z][a-z0-9_]*-[0-9]+)?)?/*$", re.IGNORECASE)
_TASK_STATUSES = frozenset(TaskStatus.values)
_MAX_ID = 2**63  # a database id is a signed 64-bit integer


def site_url(text: str) -> str:
    """A Jira site address as a lead may paste it, as the site alone: "https://acme.atlassian.net/browse/",
    "https://acme.atlassian.net//" and "https://acme.atlassian.net/browse/PLAT-902" are all
    "https://acme.atlassian.net". An address with `{key}` is a pattern of its own, kept as it is."""
    url = text.strip()
    if "{key}" in url:
        return url
    site = _BROWSE_TAIL.sub("", url)
    while site != url:  # "/browse/browse/" pasted twice: until nothing more comes off
        url, site = site, _BROWSE_TAIL.sub("", site)
    return site


def normalized(text: str) -> str:
    """How names are compared: case and runs of spaces (line breaks too) do not matter."""
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class ImportOptions:
    """One import's options. `given_statuses` and `link_map` are what the client (or the lead on the
    page) mapped, `status_map` those over the defaults and the team's remembered ones."""

    status_map: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_STATUS_MAP))
    link_map: Mapping[str, tuple[GoalKind, int]] = field(default_factory=dict)
    team_id: int | None = None
    base_url: str = ""
    timezone: str = "UTC"
    all_or_nothing: bool = False
    given_statuses: Mapping[str, str] = field(default_factory=dict)
    remembered_links: Mapping[str, tuple[GoalKind, int]] = field(default_factory=dict)
    _goals: dict[str, tuple[GoalKind, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        goals = {normalized(ref): goal for ref, goal in self.remembered_links.items()}
        goals |= {normalized(ref): goal for ref, goal in self.link_map.items()}
        object.__setattr__(self, "_goals", goals)

    @property
    def skip_errors(self) -> bool:
        """Whether a commit writes the good rows and skips the bad (the default)."""
        return not self.all_or_nothing

    def status_for(self, name: str) -> str | None:
        """The task status a status name stands for (ExecGap's own values are accepted as they are)."""
        key = normalized(name)
        if key in _TASK_STATUSES:
            return key
        return self.status_map.get(key)

    def goal_for(self, reference: str) -> tuple[GoalKind, int] | None:
        """The goal the client's link map, or else the team's remembered one, maps `reference` to."""
        return self._goals.get(normalized(reference))

    def url_for(self, key: str) -> str:
        if "{key}" in self.base_url:
            return self.base_url.replace("{key}", key)
        return f"{site_url(self.base_url)}/browse/{key}"

    def remembering(
        self, *, statuses: Mapping[str, str], links: Mapping[str, tuple[GoalKind, int]]
    ) -> ImportOptions:
        """These options over a team's remembered mapping (what the client gave wins)."""
        status_map = dict(DEFAULT_STATUS_MAP) | {normalized(k): v for k, v in statuses.items()}
        return replace(self, status_map=status_map | dict(self.given_statuses), remembered_links=dict(links))

    def as_json(self) -> dict[str, Any]:
        return {
            "status_map": dict(self.given_statuses),
            "link_map": {reference: {kind: pk} for reference, (kind, pk) in self.link_map.items()},
            "team": self.team_id,
            "base_url": self.base_url,
            "timezone": self.timezone,
            "all_or_nothing": self.all_or_nothing,
        }


def import_options(
    *,
    status_map: Any = None,
    link_map: Any = None,
    team: Any = None,
    base_url: Any = None,
    timezone: Any = None,
    all_or_nothing: bool | None = None,
    skip_errors: bool | None = None,
) -> ImportOptions:
    """Check the client's options (their shape; the ids are checked against the organization when
    the rows are). `all_or_nothing` wins over `skip_errors` (its opposite); neither given: every good
    row is committed. Raises ValidationError keyed by option."""
    errors: dict[str, str] = {}
    statuses: dict[str, str] = {}
    try:
        statuses = _status_map(status_map)
    except ValueError as error:
        errors["status_map"] = str(error)
    links: dict[str, tuple[GoalKind, int]] = {}
    try:
        links = _link_map(link_map)
    except ValueError as error:
        errors["link_map"] = str(error)
    team_id = None
    if team not in (None, ""):
        if isinstance(team, bool) or not str(team).isdigit() or len(str(team)) > 18:
            errors["team"] = "Give a team's id."
        else:
            team_id = int(team)
    url = site_url(str(base_url or ""))
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url.replace("{key}", "KEY-1"))
        except ValidationError:
            errors["base_url"] = "Give the Jira site's address, such as https://acme.atlassian.net."
    zone = str(timezone or "UTC").strip()
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        errors["timezone"] = "Give a time zone name, such as Europe/Paris."
    if errors:
        raise ValidationError(errors)
    whole = bool(all_or_nothing) if all_or_nothing is not None else skip_errors is False
    return ImportOptions(
        status_map=dict(DEFAULT_STATUS_MAP) | statuses, link_map=links, team_id=team_id, base_url=url,
        timezone=zone, all_or_nothing=whole, given_statuses=statuses,
    )  # fmt: skip


def import_options_from_json(data: Mapping[str, Any]) -> ImportOptions:
    """The options `ImportOptions.as_json` stored (checked again: a job may run later). A job stored
    before `all_or_nothing` existed kept `skip_errors` (false: all or nothing)."""
    whole = bool(data["all_or_nothing"]) if "all_or_nothing" in data else not data.get("skip_errors", False)
    return import_options(
        status_map=data.get("status_map"),
        link_map=data.get("link_map"),
        team=data.get("team"),
        base_url=data.get("base_url"),
        timezone=data.get("timezone"),
        all_or_nothing=whole,
    )


def timezone_choices() -> list[str]:
    """The time zone names a page offers, UTC first."""
    return ["UTC", *sorted(zone for zone in zoneinfo.available_timezones() if zone != "UTC" and "/" in zone)]


def _json_object(value: Any, what: str) -> Mapping[str, Any]:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json_loads_bounded(value)
        except (ValueError, RecursionError) as error:
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
            and 0 < next(iter(goal.values())) < _MAX_ID
        ):
            raise ValueError(f'{reference!r}: map it to {{"initiative": id}} or {{"objective": id}}.')
        kind, pk = next(iter(goal.items()))
        result[reference] = (kind, pk)
    return result
