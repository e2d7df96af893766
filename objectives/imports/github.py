"""A GitHub Issues JSON export → the task fields each issue sets.

The export is what `gh issue list --json number,title,body,state,labels,milestone,assignees,url,
createdAt,closedAt` writes: a list of issues, each with its `number`, `title`, `state` (`OPEN` or
`CLOSED`), `url`, `closedAt`, `assignees` (`login`, `name`), `milestone` (`title`) and `labels`
(`name`). The other keys (`body`, `createdAt`, ...) are ignored.

| key | field |
|---|---|
| url (else number) | `external_key`: `owner/repo#number`, how a re-import finds the task again |
| title | `title` |
| state | `status` through the status map (`OPEN` → todo, `CLOSED` → done by default) |
| closedAt | `completed_at` of a closed (done) issue |
| assignees | `assignee`: the first one, a person of the organization by name or login |
| url | `external_url` |
| milestone, then labels | the goal: a milestone or label mapped to a goal (or titled like one) |

A milestone no goal matches is a warning naming it (map it on the import page or in `link_map`);
a label no goal matches is ignored, since most labels (bug, ...) are no goal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from objectives.imports.inputs import SPACES, RowInput, RowIssue, aware, guarded, parsed_datetime, storable
from objectives.imports.options import ImportOptions
from objectives.imports.rows import SourceRow

GITHUB_KEYS = frozenset(
    {"number", "title", "body", "state", "labels", "milestone", "assignees", "url", "createdAt", "closedAt"}
)
_ISSUE_URL = re.compile(r"^https?://[^/]+/([^/]+/[^/]+)/(?:issues|pull)/(\d+)/?$")
_BLAME = {
    "external_key": "url",
    "title": "title",
    "status": "state",
    "assignee": "assignees",
    "completed_at": "closedAt",
    "external_url": "url",
    "team": "team",
}


def github_row_input(row: SourceRow, *, options: ImportOptions) -> RowInput:
    item = row.values
    if not isinstance(item, Mapping):
        given = RowInput(number=row.number, external_key="")
        given.errors.append(RowIssue(None, "Each issue is a JSON object."))
        return given
    url = _text(item.get("url"))
    given = RowInput(number=row.number, external_key=_key(item, url), columns=dict(_BLAME))
    given.summary = SPACES.sub(" ", _text(item.get("title")))
    given.values["title"] = given.summary
    given.status_name = _text(item.get("state"))
    status = options.status_for(given.status_name) if given.status_name else None
    if status is None:
        message = (
            f"{given.status_name!r} is not a state the status map knows: map it on the import page or in "
            "status_map."
            if given.status_name
            else "This field is required."
        )
        given.errors.append(RowIssue("state", message))
    else:
        given.values["status"] = status
    closed = _text(item.get("closedAt"))
    if closed:
        given.resolved = guarded(given, "closedAt", lambda: _moment(given, closed, options))
    given.derive_completed = True
    given.assignee_name = _assignee(item.get("assignees"))
    if url and url.startswith(("http://", "https://")):
        given.values["external_url"] = url
    milestone = item.get("milestone")
    if isinstance(milestone, Mapping) and _text(milestone.get("title")):
        given.parent_titles.append(("milestone", SPACES.sub(" ", _text(milestone.get("title")))))
    labels = item.get("labels")
    for label in labels if isinstance(labels, list) else []:
        name = _text(label.get("name")) if isinstance(label, Mapping) else _text(label)
        if name:
            given.optional_titles.append(("labels", SPACES.sub(" ", name)))
    if options.team_id is not None:
        given.values["team_id"] = options.team_id
    return given


def _key(item: Mapping[str, Any], url: str) -> str:
    match = _ISSUE_URL.match(url)
    if match:
        return f"{match.group(1)}#{match.group(2)}"
    number = item.get("number")
    if isinstance(number, int) and not isinstance(number, bool) and 0 < number < 10**12:
        return f"#{number}"
    return ""


def _assignee(assignees: Any) -> str:
    if not isinstance(assignees, list) or not assignees or not isinstance(assignees[0], Mapping):
        return ""
    first = assignees[0]
    return SPACES.sub(" ", _text(first.get("name")) or _text(first.get("login")))


def _moment(given: RowInput, text: str, options: ImportOptions) -> Any:
    moment = parsed_datetime(text.replace("Z", "+00:00"))
    if moment is None:
        given.errors.append(RowIssue("closedAt", f"Not a date and time: {text!r}."))
        return None
    return aware(moment, options)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) and storable(value) else ""
