"""The tables of the dashboards as CSV (`execgap.web.export`): the health page's scores day by day, and
an objective's and an initiative's tables: the tasks and check-ins as their searches and filters select
them, the key results, the objectives and initiatives below with their numbers in the latest
snapshot, and the people allocated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
from execgap.web.paging import Key, Order
from objectives.models import Initiative, Objective, Task
from resources.models import Allocation
from scoring.selectors import initiative_scores_of, objective_scores_of, snapshot_history, snapshot_latest
from scoring.web.dashboards.selectors.detail import (
    initiative_check_ins,
    initiative_tasks,
    key_result_progress,
    objective_check_ins,
    objective_key_results,
    objective_tasks,
)
from scoring.web.dashboards.selectors.detail_lists import (
    ALLOCATION_ORDER,
    CHECK_IN_ORDER,
    CHILD_ORDER,
    TASK_ORDER,
    TITLE_ORDER,
    check_ins_searched,
    tasks_filtered,
)


def _scores(request: OrgRequest) -> TableRows:
    """Every day's scores (the day's latest snapshot), the oldest first: the health page's trends, whole."""
    snapshots = snapshot_history(organization=request.org.organization).defer("parts", "drivers")
    return TableRows(snapshots, order=Order(Key("as_of"), Key("id")), subject="scores")


SCORES = CsvTable(
    "by-day",
    (
        Column("Date", lambda snapshot: snapshot.as_of),
        Column("Execution health", lambda snapshot: snapshot.execution_health),
        Column("Alignment", lambda snapshot: snapshot.alignment),
        Column("Resources", lambda snapshot: snapshot.resources),
        Column("Adaptability", lambda snapshot: snapshot.adaptability),
        Column("People", lambda snapshot: snapshot.people),
        Column("Computed at (UTC)", lambda snapshot: snapshot.computed_at),
    ),
    _scores,
)


def _objective(request: OrgRequest, pk: int) -> Objective:
    return get_object_or_404(Objective.objects.for_org(request.org.organization), pk=pk)


def _initiative(request: OrgRequest, pk: int) -> Initiative:
    return get_object_or_404(Initiative.objects.for_org(request.org.organization), pk=pk)


def _name(row: Any, link: str) -> str:
    linked = getattr(row, link)
    return linked.name if linked is not None else ""


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _through(task: Task) -> str:
    return task.initiative.title if task.initiative is not None else "Directly"


TASK_COLUMNS = (
    Column("Task", lambda task: task.title),
    Column("Key", lambda task: task.external_key),
    Column("Status", lambda task: task.get_status_display()),
    Column("Effort (hours)", lambda task: task.effort_hours),
    Column("Assignee", lambda task: _name(task, "assignee")),
    Column("Team", lambda task: _name(task, "team")),
    Column("Due", lambda task: task.due_date),
    Column("Through", _through),
    Column("Link", lambda task: task.external_url),
)

CHECK_IN_COLUMNS = (
    Column("Date", lambda check_in: check_in.date),
    Column("Author", lambda check_in: _name(check_in, "author")),
    Column("Key result", lambda check_in: check_in.key_result.title if check_in.key_result_id else ""),
    Column("Value", lambda check_in: check_in.value),
    Column("Confidence (of 10)", lambda check_in: check_in.confidence),
    Column("Note", lambda check_in: check_in.note),
)


def _tasks(goal: Callable[[OrgRequest, int], Objective | Initiative]) -> Callable[..., TableRows]:
    def rows(request: OrgRequest, pk: int) -> TableRows:
        found = goal(request, pk)
        tasks = (
            objective_tasks(objective=found)
            if isinstance(found, Objective)
            else initiative_tasks(initiative=found)
        )
        selected, _, error = tasks_filtered(tasks=tasks, request=request)
        return TableRows(selected, order=TASK_ORDER, error=error, subject=found.title)

    return rows


def _check_ins(goal: Callable[[OrgRequest, int], Objective | Initiative]) -> Callable[..., TableRows]:
    def rows(request: OrgRequest, pk: int) -> TableRows:
        found = goal(request, pk)
        check_ins = (
            objective_check_ins(objective=found)
            if isinstance(found, Objective)
            else initiative_check_ins(initiative=found).select_related("key_result")
        )
        selected = check_ins_searched(check_ins=check_ins, request=request)
        return TableRows(selected, order=CHECK_IN_ORDER, subject=found.title)

    return rows


OBJECTIVE_TASKS = CsvTable("tasks", TASK_COLUMNS, _tasks(_objective))
INITIATIVE_TASKS = CsvTable("tasks", TASK_COLUMNS, _tasks(_initiative))
OBJECTIVE_CHECK_INS = CsvTable("check-ins", CHECK_IN_COLUMNS, _check_ins(_objective))
INITIATIVE_CHECK_INS = CsvTable("check-ins", CHECK_IN_COLUMNS, _check_ins(_initiative))


def _key_results(request: OrgRequest, pk: int) -> TableRows:
    objective = _objective(request, pk)
    return TableRows(objective_key_results(objective=objective), subject=objective.title)


KEY_RESULTS = CsvTable(
    "key-results",
    (
        Column("Key result", lambda kr: kr.title),
        Column("Unit", lambda kr: kr.unit),
        Column("Start", lambda kr: kr.start_value),
        Column("Current", lambda kr: kr.current_value),
        Column("Target", lambda kr: kr.target_value),
        Column("Progress (%)", lambda kr: _percent(key_result_progress(kr))),
        Column("Weight", lambda kr: kr.weight),
        Column("Latest check-in", lambda kr: kr.last_date),
        Column("Latest value", lambda kr: kr.last_value),
        Column("Latest confidence (of 10)", lambda kr: kr.last_confidence),
    ),
    _key_results,
)


def _scored(scores_of: Callable[[list[int]], dict[int, Any]]) -> Callable[[list[Any]], list[tuple[Any, Any]]]:
    """A chunk of rows with each one's score in the latest snapshot (None: not scored): one query."""

    def prepare(chunk: list[Any]) -> list[tuple[Any, Any]]:
        scores = scores_of([row.pk for row in chunk])
        return [(row, scores.get(row.pk)) for row in chunk]

    return prepare


def _score(name: str, *, percent: bool = True) -> Callable[[tuple[Any, Any]], Any]:
    def value(pair: tuple[Any, Any]) -> Any:
        score = pair[1]
        if score is None:
            return None
        number = getattr(score, name)
        return _percent(number) if percent else number

    return value


def _children(request: OrgRequest, pk: int) -> TableRows:
    objective = _objective(request, pk)
    snapshot = snapshot_latest(organization=request.org.organization)

    def scores_of(ids: list[int]) -> dict[int, Any]:
        if snapshot is None:
            return {}
        found = objective_scores_of(snapshot=snapshot).filter(objective_id__in=ids)
        return {score.objective_id: score for score in found if score.objective_id is not None}

    children = Objective.objects.for_org(request.org.organization).filter(parent=objective)
    return TableRows(
        children.select_related("team", "owner").annotate(title_key=Lower("title")),
        order=CHILD_ORDER,
        prepare=_scored(scores_of),
        subject=objective.title,
    )


CHILDREN = CsvTable(
    "objectives-below",
    (
        Column("Objective", lambda pair: pair[0].title),
        Column("Status", lambda pair: pair[0].get_status_display()),
        Column("Team", lambda pair: _name(pair[0], "team")),
        Column("Owner", lambda pair: _name(pair[0], "owner")),
        Column("Priority weight", lambda pair: pair[0].priority_weight),
        Column("Progress (%)", _score("progress")),
        Column("Expected progress (%)", _score("expected_progress")),
        Column("Coverage (%)", _score("coverage")),
        Column("Intended share (%)", _score("intended_share")),
        Column("Actual share (%)", _score("actual_share")),
    ),
    _children,
)


def _initiatives(request: OrgRequest, pk: int) -> TableRows:
    objective = _objective(request, pk)
    snapshot = snapshot_latest(organization=request.org.organization)

    def scores_of(ids: list[int]) -> dict[int, Any]:
        if snapshot is None:
            return {}
        found = initiative_scores_of(snapshot=snapshot).filter(initiative_id__in=ids)
        return {score.initiative_id: score for score in found if score.initiative_id is not None}

    initiatives = Initiative.objects.for_org(request.org.organization).filter(objective=objective)
    return TableRows(
        initiatives.select_related("team", "owner"),
        order=TITLE_ORDER,
        prepare=_scored(scores_of),
        subject=objective.title,
    )


INITIATIVES = CsvTable(
    "initiatives",
    (
        Column("Initiative", lambda pair: pair[0].title),
        Column("Status", lambda pair: pair[0].get_status_display()),
        Column("Team", lambda pair: _name(pair[0], "team")),
        Column("Owner", lambda pair: _name(pair[0], "owner")),
        Column("End date", lambda pair: pair[0].end_date),
        Column("Coverage (%)", _score("coverage")),
        Column("Hours needed", _score("demand", percent=False)),
        Column("Hours allocated", _score("supply", percent=False)),
    ),
    _initiatives,
)


def _allocations(request: OrgRequest, pk: int) -> TableRows:
    initiative = _initiative(request, pk)
    allocations = Allocation.objects.for_org(request.org.organization).filter(initiative=initiative)
    return TableRows(
        allocations.select_related("person", "person__team"), order=ALLOCATION_ORDER, subject=initiative.title
    )


ALLOCATIONS = CsvTable(
    "people",
    (
        Column("Person", lambda allocation: allocation.person.name),
        Column("Team", lambda allocation: _name(allocation.person, "team")),
        Column("Hours per week", lambda allocation: allocation.hours_per_week),
        Column("From", lambda allocation: allocation.start_date),
        Column("Until", lambda allocation: allocation.end_date),
    ),
    _allocations,
)
