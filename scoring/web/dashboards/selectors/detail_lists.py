"""The lists of an objective's or an initiative's page, each a keyset page of its own.

A goal near the top of a large cascade has hundreds of tasks, check-ins every week for years, dozens
of objectives and initiatives below it and people allocated to it: each list shows a page, with its
own parameters (`tasks_cursor`, `tasks_q`, `tasks_status`, `check_ins_cursor`, ...) so that paging
one keeps the others where they are; its pager and search swap the page in place (htmx) and bring
its own section into view.
Every list is one query for its page (and one for the page's scores where it shows them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from execgap.web.paging import (
    Choice,
    Key,
    ListPage,
    Order,
    Params,
    SearchBox,
    choice_value,
    keyset_page,
    rows_of,
    search_box,
    search_term,
)
from feedback.models import CheckIn
from objectives.models import OPEN_TASK_STATUSES, Initiative, Objective, Task, TaskStatus
from resources.models import Allocation
from scoring.models import ScoreSnapshot
from scoring.selectors import initiative_scores_of, objective_scores_of
from scoring.web.dashboards.selectors.strategy import NodeFacts, node_facts

# Each list's pager and search swap the page's whole content (`main`), so that every other list's
# links are drawn again with this one's new place: paging one list never loses another's.
SWAP = "main"
TASKS_PAGE_SIZE = 25
CHECK_INS_PAGE_SIZE = 10
ROWS_PAGE_SIZE = 25

# Open tasks first, the soonest due first (no date last), then by id.
TASK_ORDER = Order(Key("closed"), Key("due_date", nullable=True), Key("id"))
CHECK_IN_ORDER = Order(Key("date", descending=True), Key("id", descending=True))
# The objectives below one: the heaviest first, then by title whatever its case.
CHILD_ORDER = Order(Key("priority_weight", descending=True), Key("title_key"), Key("id"))
TITLE_ORDER = Order(Key("title"), Key("id"))
ALLOCATION_ORDER = Order(Key("person__name"), Key("id"))

OPEN = "open"
TASK_STATUS_OPTIONS: tuple[tuple[str, str], ...] = (
    ("", "Any status, open first"),
    (OPEN, "Open (to do, in progress, blocked)"),
    *((str(value), str(label)) for value, label in TaskStatus.choices),
)
UNKNOWN_STATUS = "“{value}” is not a status of a task, so tasks of every status are shown."


@dataclass(frozen=True)
class ScoredRow:
    """A child objective or an initiative, with its numbers in the latest snapshot."""

    row: Objective | Initiative
    facts: NodeFacts


@dataclass(frozen=True)
class SearchedList:
    """A list with its search form, and what was wrong with its filters (the view answers 400)."""

    page: ListPage[Any]
    search: SearchBox
    filter_error: str = ""

    @property
    def error(self) -> str:
        return self.filter_error or self.page.error


def tasks_filtered(*, tasks: QuerySet[Task], request: Any) -> tuple[QuerySet[Task], str, str]:
    """`tasks` (the goal's) filtered by `tasks_status` and searched by `tasks_q` in the title or the
    tracker's key, ready for TASK_ORDER: (the rows, the status chosen, what was wrong with it)."""
    status = choice_value(request, "tasks_status", TASK_STATUS_OPTIONS)
    error = ""
    if status is None:
        error = UNKNOWN_STATUS.format(value=request.GET.get("tasks_status", "")[:30])
        status = ""
    if status == OPEN:
        tasks = tasks.filter(status__in=OPEN_TASK_STATUSES)
    elif status:
        tasks = tasks.filter(status=status)
    term = search_term(request, prefix="tasks_")
    if term:
        tasks = tasks.filter(Q(title__icontains=term) | Q(external_key__icontains=term))
    ordered = tasks.select_related("assignee", "team", "initiative").annotate(
        closed=Case(
            When(status__in=OPEN_TASK_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    return ordered, status, error


def task_list(*, tasks: QuerySet[Task], request: Any) -> SearchedList:
    """A page of `tasks` (the goal's) as `tasks_filtered` selects them, open ones first."""
    params = Params(request, prefix="tasks_")
    ordered, status, error = tasks_filtered(tasks=tasks, request=request)
    page = keyset_page(
        ordered,
        TASK_ORDER,
        params=params,
        label="Pages of tasks",
        size=TASKS_PAGE_SIZE,
        target="goal-tasks",
        swap=SWAP,
    )
    search = search_box(
        params=params,
        label="Title or key contains",
        form_label="Search the tasks",
        target="goal-tasks",
        swap=SWAP,
        choices=[Choice("tasks_status", "Status", TASK_STATUS_OPTIONS, status)],
    )
    return SearchedList(page=page, search=search, filter_error=error)


def check_ins_searched(*, check_ins: QuerySet[CheckIn], request: Any) -> QuerySet[CheckIn]:
    """`check_ins` searched by `check_ins_q` in the note."""
    term = search_term(request, prefix="check_ins_")
    return check_ins.filter(note__icontains=term) if term else check_ins


def check_in_list(*, check_ins: QuerySet[CheckIn], request: Any) -> SearchedList:
    """A page of `check_ins`, the latest first, searched by `check_ins_q` in the note."""
    params = Params(request, prefix="check_ins_")
    page = keyset_page(
        check_ins_searched(check_ins=check_ins, request=request),
        CHECK_IN_ORDER,
        params=params,
        label="Pages of check-ins",
        size=CHECK_INS_PAGE_SIZE,
        target="goal-check-ins",
        swap=SWAP,
        texts=("Newer check-ins", "Older check-ins"),
    )
    search = search_box(
        params=params,
        label="Note contains",
        form_label="Search the check-ins",
        target="goal-check-ins",
        swap=SWAP,
    )
    return SearchedList(page=page, search=search)


def child_list(
    *, children: QuerySet[Objective], snapshot: ScoreSnapshot | None, request: Any
) -> ListPage[ScoredRow]:
    """A page of the objectives below one, the heaviest first, with their numbers in `snapshot`."""
    page = keyset_page(
        children.select_related("team", "owner").annotate(title_key=Lower("title")),
        CHILD_ORDER,
        params=Params(request, prefix="children_"),
        label="Pages of the objectives below it",
        size=ROWS_PAGE_SIZE,
        target="goal-children",
        swap=SWAP,
    )
    scores = {}
    if snapshot is not None and page.rows:
        scores = {
            row.objective_id: row
            for row in objective_scores_of(snapshot=snapshot).filter(
                objective_id__in=[c.pk for c in page.rows]
            )
        }
    return rows_of(page, lambda child: ScoredRow(child, node_facts(scores.get(child.pk))))


def initiative_list(
    *, initiatives: QuerySet[Initiative], snapshot: ScoreSnapshot | None, request: Any
) -> ListPage[ScoredRow]:
    """A page of an objective's initiatives, by title, with their coverage in `snapshot`."""
    page = keyset_page(
        initiatives.select_related("team", "owner"),
        TITLE_ORDER,
        params=Params(request, prefix="initiatives_"),
        label="Pages of initiatives",
        size=ROWS_PAGE_SIZE,
        target="goal-initiatives",
        swap=SWAP,
    )
    scores = {}
    if snapshot is not None and page.rows:
        scores = {
            row.initiative_id: row
            for row in initiative_scores_of(snapshot=snapshot).filter(
                initiative_id__in=[i.pk for i in page.rows]
            )
        }
    return rows_of(page, lambda initiative: ScoredRow(initiative, node_facts(scores.get(initiative.pk))))


def allocation_list(*, allocations: QuerySet[Allocation], request: Any) -> ListPage[Allocation]:
    """A page of an initiative's allocations, by the person's name."""
    return keyset_page(
        allocations.select_related("person", "person__team"),
        ALLOCATION_ORDER,
        params=Params(request, prefix="people_"),
        label="Pages of the people allocated",
        size=ROWS_PAGE_SIZE,
        target="goal-people",
        swap=SWAP,
    )
