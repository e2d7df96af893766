"""The alignment page's tables as CSV (`execgap.web.export`), filtered by team and class as the page
is: the effort by class of each team (in tree order) and the whole unaligned work, largest first."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from execgap.web.export import Column, CsvTable, TableRows, cursor_chunks
from execgap.web.pages import OrgRequest
from execgap.web.paging import Key, Order
from objectives.models import Initiative
from resources.models import Person, Team
from scoring.selectors import snapshot_latest
from scoring.web.alignment.forms import AlignmentFilterForm
from scoring.web.alignment.selectors import (
    cascade_at,
    snapshot_parameters,
    task_class_of,
    team_alignment,
    team_subtree,
    unaligned_tasks,
)

# The largest first, as the page lists them: the estimated tasks down their estimate, then by id
# (both along an index); the others all weigh the default effort, and come by id.
ESTIMATED_ORDER = Order(Key("effort_hours", descending=True), Key("id"))
UNESTIMATED_ORDER = Order(Key("id"))


def _filters(request: OrgRequest) -> tuple[dict[str, Any], str]:
    """The page's filters (team, task class), or what is wrong with them."""
    filters = AlignmentFilterForm(request.GET or None, org=request.org)
    if filters.is_bound and not filters.is_valid():
        return {}, " ".join(str(message) for messages in filters.errors.values() for message in messages)
    return (filters.cleaned_data if filters.is_bound else {}), ""


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _teams(request: OrgRequest) -> TableRows:
    chosen, error = _filters(request)
    if error:
        return TableRows([], error=error, subject="alignment")
    organization = request.org.organization
    snapshot = snapshot_latest(organization=organization)
    teams = team_alignment(
        organization=organization, snapshot=snapshot, team_ids=team_subtree(chosen.get("team"))
    )
    return TableRows(teams.teams, subject="alignment")


TEAMS = CsvTable(
    "by-team",
    (
        Column("Team", lambda row: row.team.name),
        Column("Level", lambda row: row.depth + 1),
        Column("Aligned (hours)", lambda row: _round(row.effort.aligned)),
        Column("Misaligned (hours)", lambda row: _round(row.effort.misaligned)),
        Column("Orphan (hours)", lambda row: _round(row.effort.orphan)),
        Column("Total (hours)", lambda row: _round(row.effort.total)),
        Column("Team alignment", lambda row: _round(row.score)),
    ),
    _teams,
)


@dataclass(frozen=True)
class WorkRow:
    """One unaligned task as the download lists it (plain values: a million of them stream by)."""

    title: str
    key: str
    task_class: str
    reason: str
    effort: float
    team: str
    assignee: str
    link: str


# What the download reads of each task: plain values, not model instances (five a row with their links).
WORK_FIELDS = ("pk", "effort", "title", "external_key", "external_url")
WORK_LINKS = ("initiative_id", "resolved_objective", "effective_team", "assignee_id")


class _Names:
    """The initiatives, team names and people's names the chunks of tasks point to, read a chunk at a
    time (one query per kind for those not read before) and kept for the next chunks."""

    def __init__(self, organization_id: int) -> None:
        self.organization_id = organization_id
        self.initiatives: dict[int, Initiative] = {}
        self.teams: dict[int, str] = {}
        self.people: dict[int, str] = {}

    def read(self, chunk: list[tuple[Any, ...]]) -> None:
        links = len(WORK_FIELDS)
        initiatives = {row[links] for row in chunk} - self.initiatives.keys() - {None}
        teams = {row[links + 2] for row in chunk} - self.teams.keys() - {None}
        people = {row[links + 3] for row in chunk} - self.people.keys() - {None}
        if initiatives:
            found = Initiative.objects.for_org(self.organization_id).filter(pk__in=sorted(initiatives))
            self.initiatives.update((row.pk, row) for row in found.only("title", "status", "objective_id"))
        if teams:
            found_teams = Team.objects.for_org(self.organization_id).filter(pk__in=sorted(teams))
            self.teams.update(found_teams.values_list("pk", "name"))
        if people:
            found_people = Person.objects.for_org(self.organization_id).filter(pk__in=sorted(people))
            self.people.update(found_people.values_list("pk", "name"))


def _work(request: OrgRequest) -> TableRows:
    chosen, error = _filters(request)
    if error:
        return TableRows([], error=error, subject="unaligned")
    organization = request.org.organization
    parameters = snapshot_parameters(
        organization=organization, snapshot=snapshot_latest(organization=organization)
    )
    cascade = cascade_at(organization=organization, parameters=parameters)
    tasks = unaligned_tasks(
        organization=organization,
        parameters=parameters,
        cascade=cascade,
        team_ids=team_subtree(chosen.get("team")),
        task_class=chosen.get("task_class") or None,
    )
    estimated = tasks.filter(effort_hours__isnull=False).values_list(*WORK_FIELDS, *WORK_LINKS)
    unestimated = tasks.filter(effort_hours__isnull=True).values_list(*WORK_FIELDS, *WORK_LINKS)
    largest_first = heapq.merge(
        _rows(cursor_chunks(estimated, ESTIMATED_ORDER)),
        _rows(cursor_chunks(unestimated, UNESTIMATED_ORDER)),
        key=lambda row: (-float(row[1]), row[0]),
    )
    names = _Names(organization.pk)

    def prepare(chunk: list[tuple[Any, ...]]) -> list[WorkRow]:
        names.read(chunk)
        rows = []
        for _, effort, title, key, link, initiative_id, resolved, team_id, assignee_id in chunk:
            initiative = names.initiatives.get(initiative_id) if initiative_id is not None else None
            task_class, reason = task_class_of(initiative, resolved, cascade)
            rows.append(
                WorkRow(
                    title=title,
                    key=key,
                    task_class=task_class,
                    reason=reason,
                    effort=float(effort),
                    team=names.teams.get(team_id, "") if team_id is not None else "",
                    assignee=names.people.get(assignee_id, "") if assignee_id is not None else "",
                    link=link,
                )
            )
        return rows

    return TableRows(largest_first, prepare=prepare, subject="unaligned")


def _rows(chunks: Iterator[list[Any]]) -> Iterator[Any]:
    """The rows of the chunks one by one."""
    for chunk in chunks:
        yield from chunk


WORK = CsvTable(
    "work",
    (
        Column("Task", lambda row: row.title),
        Column("Key", lambda row: row.key),
        Column("Class", lambda row: row.task_class),
        Column("Why", lambda row: row.reason),
        Column("Effort (hours)", lambda row: _round(row.effort)),
        Column("Team", lambda row: row.team),
        Column("Assignee", lambda row: row.assignee),
        Column("Link", lambda row: row.link),
    ),
    _work,
)
