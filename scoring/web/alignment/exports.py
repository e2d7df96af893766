"""The alignment page's tables as CSV (`execgap.web.export`), filtered by team and class as the page
is: the effort by class of each team (in tree order) and the whole unaligned work, largest first."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from execgap.web.export import Column, CsvTable, TableRows, keyset_chunks
from execgap.web.pages import OrgRequest
from execgap.web.paging import Key, Order
from objectives.models import Task
from scoring.selectors import snapshot_latest
from scoring.web.alignment.forms import AlignmentFilterForm
from scoring.web.alignment.selectors import (
    WorkItem,
    cascade_at,
    snapshot_parameters,
    team_alignment,
    team_subtree,
    unaligned_tasks,
    work_item,
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
    ).select_related("initiative", "initiative__objective", "objective", "team", "assignee", "assignee__team")
    estimated = _rows(keyset_chunks(tasks.filter(effort_hours__isnull=False), ESTIMATED_ORDER))
    unestimated = _rows(keyset_chunks(tasks.filter(effort_hours__isnull=True), UNESTIMATED_ORDER))
    largest_first = heapq.merge(estimated, unestimated, key=lambda task: (-float(task.effort), task.pk))

    def prepare(chunk: list[Task]) -> list[WorkItem]:
        return [work_item(task, cascade=cascade, parameters=parameters) for task in chunk]

    return TableRows(largest_first, prepare=prepare, subject="unaligned")


def _rows(chunks: Iterator[list[Any]]) -> Iterator[Any]:
    """The tasks of the chunks one by one (each with its `effort` annotation)."""
    for chunk in chunks:
        yield from chunk


WORK = CsvTable(
    "work",
    (
        Column("Task", lambda item: item.task.title),
        Column("Key", lambda item: item.task.external_key),
        Column("Class", lambda item: item.task_class),
        Column("Why", lambda item: item.reason),
        Column("Effort (hours)", lambda item: _round(item.effort)),
        Column("Team", lambda item: item.team.name if item.team is not None else ""),
        Column("Assignee", lambda item: item.task.assignee.name if item.task.assignee is not None else ""),
        Column("Link", lambda item: item.task.external_url),
    ),
    _work,
)
