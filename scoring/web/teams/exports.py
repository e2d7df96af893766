"""The teams pages' tables as CSV (`execgap.web.export`): the teams (searched as the page is), a team's
tasks (filtered as its workspace filters them), its initiatives with their staffing and its
check-ins due."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone

from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
from execgap.web.paging import Key, Order, search_term
from objectives.models import Task
from resources.models import Team
from resources.web.teams.forms import TeamTaskFilter
from scoring.web.teams.selectors import (
    TEAM_TASKS_ORDER,
    CheckInDue,
    InitiativeStaffing,
    TeamRow,
    TreeTeam,
    checkins_due,
    team_initiatives,
    team_nodes,
    team_rows,
    team_staffing,
    team_tasks,
)

INITIATIVES_ORDER = Order(Key("closed"), Key("title"), Key("id"))  # as `team_initiatives` orders them


def _team(request: OrgRequest, pk: int) -> Team:
    return get_object_or_404(Team.objects.for_org(request.org.organization), pk=pk)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _teams(request: OrgRequest) -> TableRows:
    organization = request.org.organization

    def prepare(nodes: list[TreeTeam]) -> list[tuple[TreeTeam, TeamRow]]:
        return list(zip(nodes, team_rows(organization=organization, nodes=nodes), strict=True))

    return TableRows(team_nodes(organization=organization, search=search_term(request)), prepare=prepare)


def _name(person: Any) -> str:
    return person.name if person is not None else ""


TEAMS = CsvTable(
    "teams",
    (
        Column("Team", lambda pair: pair[0].team.name),
        Column("Part of", lambda pair: pair[0].parent.name if pair[0].parent else ""),
        Column("Lead", lambda pair: _name(pair[1].lead)),
        Column("People", lambda pair: pair[1].people),
        Column("Open tasks", lambda pair: pair[1].open_tasks),
        Column("Unlinked open tasks", lambda pair: pair[1].unlinked_tasks),
        Column("Alignment", lambda pair: pair[1].alignment.score if pair[1].alignment else None),
    ),
    _teams,
)


def _tasks(request: OrgRequest, pk: int) -> TableRows:
    team = _team(request, pk)
    found = TeamTaskFilter(request.GET or None, queryset=team_tasks(team=team), org=request.org, team=team)
    if found.is_bound and not found.is_valid():
        errors = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in found.errors.items())
        return TableRows([], error=f"The filter cannot be read ({errors}).", subject=team.name)
    return TableRows(found.qs, order=TEAM_TASKS_ORDER, subject=team.name)


def _goal(task: Task) -> str:
    if task.initiative is not None:
        return task.initiative.title
    return task.objective.title if task.objective is not None else ""


TEAM_TASKS = CsvTable(
    "tasks",
    (
        Column("Task", lambda task: task.title),
        Column("Key", lambda task: task.external_key),
        Column("Status", lambda task: task.get_status_display()),
        Column("Effort (hours)", lambda task: task.effort_hours),
        Column("Assignee", lambda task: _name(task.assignee)),
        Column("Goal", _goal),
        Column("Due", lambda task: task.due_date),
        Column("Created", lambda task: task.created_at),
        Column("Link", lambda task: task.external_url),
    ),
    _tasks,
)


def _staffing(request: OrgRequest, pk: int) -> TableRows:
    team = _team(request, pk)

    def prepare(initiatives: list[Any]) -> list[InitiativeStaffing]:
        return team_staffing(team=team, initiatives=initiatives)

    return TableRows(team_initiatives(team=team), order=INITIATIVES_ORDER, prepare=prepare, subject=team.name)


def _score(name: str) -> Any:
    def value(entry: InitiativeStaffing) -> Any:
        return getattr(entry.score, name) if entry.score is not None else None

    return value


TEAM_STAFFING = CsvTable(
    "initiatives",
    (
        Column("Initiative", lambda entry: entry.initiative.title),
        Column("Status", lambda entry: entry.initiative.get_status_display()),
        Column(
            "Objective", lambda entry: entry.initiative.objective.title if entry.initiative.objective else ""
        ),
        Column("Owner", lambda entry: _name(entry.initiative.owner)),
        Column("End date", lambda entry: entry.initiative.end_date),
        Column("People allocated", lambda entry: entry.allocation_count),
        Column("Hours per week allocated", lambda entry: round(entry.hours_per_week, 2)),
        Column("Coverage (%)", lambda entry: _percent(entry.score.coverage) if entry.score else None),
        Column("Hours of work left", _score("demand")),
        Column("Hours staffed", _score("supply")),
    ),
    _staffing,
)


def _checkins_due(request: OrgRequest, pk: int) -> TableRows:
    """The team's check-ins due today (its tracked items are tens, read at once as on the page)."""
    team = _team(request, pk)
    return TableRows(checkins_due(team=team, as_of=timezone.localdate()), subject=team.name)


def _due_status(due: CheckInDue) -> str:
    if due.last_check_in is None:
        return "Overdue: never checked in"
    return "Overdue" if due.stale else "Due today"


TEAM_CHECK_INS_DUE = CsvTable(
    "check-ins-due",
    (
        Column("Kind", lambda due: due.kind.capitalize()),
        Column("Item", lambda due: due.item.title),
        Column("Owner", lambda due: _name(due.item.owner)),
        Column("Last check-in", lambda due: due.last_check_in),
        Column("Status", _due_status),
        Column("Key results", lambda due: "; ".join(key_result.title for key_result in due.key_results)),
    ),
    _checkins_due,
)
