"""The feedback pages' tables as CSV (`execgap.web.export`): the feedback (filtered and searched as the
list is) and each list of my work (my open tasks, my check-ins due, the feedback I raised and the one
waiting for my answer, the recognitions I got and gave)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from execgap import roles
from execgap.roles import Action, Resource, Scope
from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
from execgap.web.paging import Order
from feedback.web import selectors
from feedback.web.views import feedback_filters_read
from resources.models import Person


def _name(person: Person | None) -> str:
    return person.name if person is not None else ""


def _about(row: Any) -> str:
    """The goal a row is about: its initiative, else its objective."""
    if row.initiative is not None:
        return str(row.initiative.title)
    return str(row.objective.title) if row.objective is not None else ""


def _team(item: Any) -> str:
    """The team a feedback item is about, as the list says it: its initiative's, else that initiative's
    objective's, else its objective's."""
    for goal in (item.initiative, item.initiative.objective if item.initiative else None, item.objective):
        if goal is not None and goal.team is not None:
            return str(goal.team.name)
    return ""


# The links the columns read, loaded with the rows.
FEEDBACK_LINKS = (
    "author",
    "answered_by",
    "objective__team",
    "initiative__team",
    "initiative__objective__team",
)

FEEDBACK_COLUMNS = (
    Column("Raised", lambda item: item.created_at),
    Column("Kind", lambda item: item.get_kind_display()),
    Column("Status", lambda item: item.get_status_display()),
    Column("About", _about),
    Column("Team", _team),
    Column("Text", lambda item: item.text),
    Column("Raised by", lambda item: _name(item.author)),
    Column("Response", lambda item: item.response),
    Column("Answered by", lambda item: _name(item.answered_by)),
    Column("Acknowledged", lambda item: item.acknowledged_at),
    Column("Resolved", lambda item: item.resolved_at),
)


def _feedback(request: OrgRequest) -> TableRows:
    _, filters = feedback_filters_read(request)
    rows = selectors.feedback_list(organization=request.org.organization, filters=filters)
    return TableRows(rows, order=selectors.FEEDBACK_ORDER)


FEEDBACK = CsvTable("feedback", FEEDBACK_COLUMNS, _feedback, Resource.FEEDBACK, Action.VIEW)


def _to_answer(request: OrgRequest) -> TableRows:
    scope = roles.scope_of(request.org.membership, Resource.FEEDBACK, Action.ANSWER)
    if scope is None:
        raise PermissionDenied(f"Your role ({request.org.role.label.lower()}) answers no feedback.")
    team_ids = None if Scope.ANY in scope else roles.team_ids_of(request.org.membership)
    rows = selectors.feedback_to_answer(organization=request.org.organization, team_ids=team_ids)
    return TableRows(
        rows.select_related(*FEEDBACK_LINKS),
        order=selectors.TO_ANSWER_ORDER,
        subject="to answer",
    )


TO_ANSWER = CsvTable("feedback", FEEDBACK_COLUMNS, _to_answer)


def _mine(
    subject: str, rows: Callable[..., QuerySet[Any]], order: Order, *, me: str = "person"
) -> Callable[[OrgRequest], TableRows]:
    """My rows of a kind, `rows(organization=..., <me>=my person)`; none without a person record."""

    def read(request: OrgRequest) -> TableRows:
        person = request.org.person
        if person is None:
            return TableRows([], subject=subject)
        found = rows(organization=request.org.organization, **{me: person})
        return TableRows(found, order=order, subject=subject)

    return read


MY_TASKS = CsvTable(
    "tasks",
    (
        Column("Task", lambda task: task.title),
        Column("Key", lambda task: task.external_key),
        Column("Status", lambda task: task.get_status_display()),
        Column("Effort (hours)", lambda task: task.effort_hours),
        Column("Due", lambda task: task.due_date),
        Column("Goal", _about),
        Column("Team", lambda task: task.team.name if task.team is not None else ""),
        Column("Link", lambda task: task.external_url),
    ),
    _mine("my open", selectors.my_open_tasks, selectors.MY_TASKS_ORDER),
)


def _raised_by(*, organization: Any, person: Person) -> QuerySet[Any]:
    return selectors.raised_by(organization=organization, person=person).select_related(*FEEDBACK_LINKS)


MY_RAISED = CsvTable("feedback", FEEDBACK_COLUMNS, _mine("my raised", _raised_by, selectors.NEWEST_FIRST))

RECOGNITION_COLUMNS = (
    Column("Given", lambda recognition: recognition.created_at),
    Column("From", lambda recognition: recognition.from_person.name),
    Column("To", lambda recognition: recognition.to_person.name),
    Column("For", _about),
    Column("Message", lambda recognition: recognition.message),
)

MY_RECOGNITIONS_RECEIVED = CsvTable(
    "recognitions",
    RECOGNITION_COLUMNS,
    _mine("my received", selectors.recognitions_of, selectors.NEWEST_FIRST, me="to_person"),
)
MY_RECOGNITIONS_GIVEN = CsvTable(
    "recognitions",
    RECOGNITION_COLUMNS,
    _mine("my given", selectors.recognitions_of, selectors.NEWEST_FIRST, me="from_person"),
)


def _due(request: OrgRequest) -> TableRows:
    person = request.org.person
    if person is None:
        return TableRows([], subject="my")
    organization = request.org.organization
    due = selectors.check_ins_due(organization=organization, person=person, as_of=timezone.now().date())

    def prepare(items: list[Any]) -> list[selectors.DueCheckIn]:
        return selectors.with_key_results(organization=organization, items=items)

    return TableRows(due, prepare=prepare, subject="my")


MY_CHECK_INS_DUE = CsvTable(
    "check-ins-due",
    (
        Column("Kind", lambda due: due.item.kind.capitalize()),
        Column("Title", lambda due: due.item.title),
        Column("Key results", lambda due: "; ".join(key_result.title for key_result in due.key_results)),
    ),
    _due,
)
