"""The forms of a team's task import: the upload, and the mapping shown with each dry run.

The mapping form lists what the dry run found for the lead to map: each status the file uses (a
select of task statuses) and each epic, parent, title, milestone or label the rows name (a goal
picker), those the import cannot place first, with what each maps to now (Jira's defaults, the
team's remembered mapping, a goal of the same title) as its initial value. Its entries travel as
hidden fields, so that a form sent back is rebuilt as it was shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import QueryDict

from execgap.web.forms import OrgForm
from execgap.web.pages import OrgContext
from objectives.imports.options import DEFAULT_STATUS_MAP, GoalKind, normalized, timezone_choices
from objectives.imports.rows import MAX_BYTES
from objectives.models import Initiative, Objective, TaskStatus
from objectives.web.goal_search import goal_field, goal_field_picker

MAX_STATUSES = 60  # a workflow has a few dozen statuses at most
MAX_PARENTS = 25  # pickers on one page; the first ones are those the import cannot place
_ZONES = [(zone, zone) for zone in timezone_choices()]
_STATUS_REFUSED = (
    "Choose one of the task statuses for “{name}” ("
    + ", ".join(str(label) for _, label in TaskStatus.choices)
    + "), or leave it not mapped."
)
_GOAL_REFUSED = (
    "Choose a goal of this organization that is not closed, with the picker; or leave it empty, and its "
    "rows are imported without a link."
)


def _timezone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Time zone of the export's dates",
        choices=_ZONES,
        initial="UTC",
        required=False,  # UTC
        help_text="Jira writes dates and times without their time zone: the one your Jira profile uses.",
    )


def _all_or_nothing_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="All or nothing",
        required=False,
        help_text="A row with an error stops the whole commit. Unchecked, every good row is imported "
        "and the others are listed.",
    )


class TaskImportForm(OrgForm):
    """Upload a Jira CSV export, a GitHub Issues export or a JSON list of tasks for a dry run."""

    file = forms.FileField(
        label="Jira CSV export, GitHub Issues export or JSON file",
        help_text="Export the issues from Jira as CSV with all fields (UTF-8); or run <code>gh issue list "
        "--json number,title,body,state,labels,milestone,assignees,url,createdAt,closedAt</code>; or give a "
        f"JSON list of tasks. Up to {MAX_BYTES // 2**20} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )
    base_url = forms.URLField(
        label="Jira site",
        required=False,
        assume_scheme="https",
        help_text="Optional, such as https://acme.atlassian.net: each task then links to its issue.",
    )
    timezone = _timezone_field()
    all_or_nothing = _all_or_nothing_field()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // 2**20} MB: split it.")
        return upload


class TaskImportMappingForm(OrgForm):
    """The lead's mapping of a dry run (see the module's docstring), with the import's options.

    Unbound, it is built from a report's `to_map`; bound, from the hidden fields it was shown with.
    `rows` (the dry run's rows, signed) is there for a file judged at once, not for a job.
    """

    rows = forms.CharField(widget=forms.HiddenInput, required=False)
    base_url = forms.CharField(widget=forms.HiddenInput, required=False)
    timezone = _timezone_field()
    all_or_nothing = _all_or_nothing_field()

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        org: OrgContext,
        to_map: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, org=org, **kwargs)
        if data is not None:
            statuses, parents = _entries_sent(data)
        else:
            statuses = list((to_map or {}).get("statuses", []))[:MAX_STATUSES]
            parents = list((to_map or {}).get("parents", []))[:MAX_PARENTS]
        self.more_parents = max(0, len((to_map or {}).get("parents", [])) - MAX_PARENTS)
        self.status_names: list[str] = []
        self.parent_refs: list[list[str]] = []
        for index, entry in enumerate(statuses):
            self._add_status(index, entry)
        for index, entry in enumerate(parents):
            self._add_parent(index, entry)

    def _add_status(self, index: int, entry: Mapping[str, Any]) -> None:
        name = str(entry.get("name", ""))
        self.status_names.append(name)
        self.fields[f"status_name_{index}"] = forms.CharField(
            widget=forms.HiddenInput, initial=name, required=False
        )
        rows = entry.get("rows")
        self.fields[f"status_{index}"] = forms.ChoiceField(
            label=f"“{name}”" + (f" ({rows} row{'s' if rows != 1 else ''})" if rows else ""),
            choices=[("", "Not mapped: its rows are not imported"), *TaskStatus.choices],
            required=False,
            initial=entry.get("status") or "",
            error_messages={"invalid_choice": _STATUS_REFUSED.format(name=name)},
        )

    def _add_parent(self, index: int, entry: Mapping[str, Any]) -> None:
        refs = [str(ref) for ref in entry.get("refs", []) if str(ref).strip()]
        self.parent_refs.append(refs)
        label = str(entry.get("label", "")) or ", ".join(refs)
        kind = str(entry.get("kind", "parent"))
        rows = entry.get("rows")
        self.fields[f"parent_refs_{index}"] = forms.CharField(
            widget=forms.HiddenInput, initial=json.dumps(refs), required=False
        )
        self.fields[f"parent_label_{index}"] = forms.CharField(
            widget=forms.HiddenInput, initial=label, required=False
        )
        self.fields[f"parent_kind_{index}"] = forms.CharField(
            widget=forms.HiddenInput, initial=kind, required=False
        )
        words = {"milestone": "Milestone ", "label": "Label ", "title": "Parent titled "}.get(kind, "")
        goal = entry.get("goal")
        name = f"goal_{index}"
        self.fields[name] = goal_field(
            self.org,
            scope="open",
            required=False,
            label=f"{words}{label}" + (f" ({rows} row{'s' if rows != 1 else ''})" if rows else ""),
            initial=f"{goal['kind']}:{goal['id']}" if isinstance(goal, Mapping) else "",
            error_messages={"invalid_choice": _GOAL_REFUSED},
        )
        goal_field_picker(self, name, self.org, scope="open")

    def status_fields(self) -> list[forms.BoundField]:
        return [self[f"status_{index}"] for index in range(len(self.status_names))]

    def parent_fields(self) -> list[forms.BoundField]:
        return [self[f"goal_{index}"] for index in range(len(self.parent_refs))]

    def refusals(self) -> list[str]:
        """Each refused choice as one sentence naming its entry (for a page without the form)."""
        return [
            f"{self.fields[name].label or name}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]

    def mapping(self) -> tuple[dict[str, str], dict[str, dict[GoalKind, int]]]:
        """The status map (the names the lead mapped otherwise than Jira's defaults do) and the link
        map (each parent's names → the goal chosen for it) the lead chose (call once valid)."""
        statuses: dict[str, str] = {}
        for index, name in enumerate(self.status_names):
            status = self.cleaned_data.get(f"status_{index}")
            if name and status and DEFAULT_STATUS_MAP.get(normalized(name)) != status:
                statuses[name] = status
        links: dict[str, dict[GoalKind, int]] = {}
        for index, refs in enumerate(self.parent_refs):
            goal = self.cleaned_data.get(f"goal_{index}")
            if goal is None:
                continue
            assert isinstance(goal, Initiative | Objective)
            chosen: dict[GoalKind, int] = (
                {"initiative": goal.pk} if isinstance(goal, Initiative) else {"objective": goal.pk}
            )
            links |= dict.fromkeys(refs, chosen)
        return statuses, links


def _entries_sent(data: QueryDict) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The entries a bound form was shown with, read back from its hidden fields."""
    statuses: list[dict[str, Any]] = []
    while f"status_name_{len(statuses)}" in data and len(statuses) < MAX_STATUSES:
        statuses.append({"name": data.get(f"status_name_{len(statuses)}", "")})
    parents: list[dict[str, Any]] = []
    while f"parent_refs_{len(parents)}" in data and len(parents) < MAX_PARENTS:
        index = len(parents)
        parents.append(
            {
                "refs": _refs(data.get(f"parent_refs_{index}", "")),
                "label": data.get(f"parent_label_{index}", ""),
                "kind": data.get(f"parent_kind_{index}", "parent"),
            }
        )
    return statuses, parents


def _refs(text: str) -> Sequence[str]:
    try:
        refs = json.loads(text)
    except (ValueError, RecursionError):
        return []
    return [ref[:500] for ref in refs if isinstance(ref, str)][:4] if isinstance(refs, list) else []
