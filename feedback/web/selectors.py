"""Reads of the feedback pages: my work, the feedback list and one feedback item.

Each function runs a fixed number of queries whatever the number of rows (links are joined or
prefetched), and a list is a queryset with its order for the views to read a keyset page of
(`execgap.web.paging`), so that the pages do not slow down as the organization grows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, DateTimeField, IntegerField, Q, QuerySet, Value, When

from execgap.models import Organization
from execgap.web.paging import Key, Order
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus, Recognition
from feedback.reminders import StaleItem, fresh_from, tracked_without_check_in
from objectives.ancestry import Ancestry, chain_up, objective_ancestry
from objectives.models import (
    OPEN_TASK_STATUSES,
    Initiative,
    InitiativeStatus,
    KeyResult,
    Objective,
    ObjectiveStatus,
    Task,
)
from resources.models import Person, Team

# "My work" shows each section a short page at a time (the rest a click away, in place).
MY_WORK_PAGE_SIZE = 10
MY_TASKS_PAGE_SIZE = 25
SERVED_LIMIT = 10

# The lists' orders (total: the id breaks ties) for their keyset pages.
MY_TASKS_ORDER = Order(Key("due_date", nullable=True), Key("id"))  # due first, no date last
NEWEST_FIRST = Order(Key("created_at", descending=True), Key("id", descending=True))
# Blockers first, then the rest; the longest waiting first in each.
TO_ANSWER_ORDER = Order(Key("blocker_rank"), Key("created_at"), Key("id"))
# Open blockers first (oldest first: they have waited longest), then everything else newest first.
FEEDBACK_ORDER = Order(
    Key("open_blocker_rank"),
    Key("open_blocker_since", nullable=True),
    Key("created_at", descending=True),
    Key("id", descending=True),
)


@dataclass(frozen=True)
class GoalLink:
    """One step of the chain a task serves: an objective or an initiative, with the URL name of its page."""

    kind: str  # "objective" or "initiative"
    id: int
    title: str

    @property
    def url_name(self) -> str:
        return f"{self.kind}_detail"


@dataclass(frozen=True)
class MyTask:
    task: Task
    chain: tuple[GoalLink, ...]  # from the boardroom objective down to what the task links to; empty: orphan


@dataclass(frozen=True)
class DueCheckIn:
    """An item I own that has gone without a fresh check-in; a due objective is checked in through its
    key results (or on itself when it has none)."""

    item: StaleItem
    key_results: tuple[KeyResult, ...] = field(default=())


@dataclass(frozen=True)
class ServedGoal:
    """A goal my open tasks link to directly, and how many of them do."""

    goal: GoalLink
    tasks: int


def my_open_tasks(*, organization: Organization, person: Person) -> QuerySet[Task]:
    """The open tasks assigned to `person`, with their links (page them in `MY_TASKS_ORDER`)."""
    return (
        Task.objects.for_org(organization)
        .filter(assignee=person, status__in=OPEN_TASK_STATUSES)
        .select_related("initiative", "objective", "team")
    )


def with_chains(*, organization: Organization, tasks: Sequence[Task]) -> list[MyTask]:
    """The tasks (a page of them), each with the chain of goals it serves: one query climbing from
    their objectives to the roots (none for tasks linked to nothing)."""
    starts = [task.initiative.objective_id if task.initiative else task.objective_id for task in tasks]
    ancestry = objective_ancestry(organization=organization, objective_ids=[pk for pk in starts if pk])
    return [MyTask(task=task, chain=_chain(task, ancestry)) for task in tasks]


def _chain(task: Task, ancestry: Ancestry) -> tuple[GoalLink, ...]:
    objective_id = task.initiative.objective_id if task.initiative is not None else task.objective_id
    links = [GoalLink("objective", pk, title) for pk, title in chain_up(ancestry, objective_id)]
    if task.initiative is not None:
        links.append(GoalLink("initiative", task.initiative.pk, task.initiative.title))
    return tuple(links)


def served_goals(*, organization: Organization, person: Person, limit: int) -> tuple[list[ServedGoal], bool]:
    """The goals `person`'s open tasks link to directly (an initiative, else an objective), most
    served first, at most `limit` of them, and whether there are more. One grouped query."""
    rows = list(
        Task.objects.for_org(organization)
        .filter(assignee=person, status__in=OPEN_TASK_STATUSES)
        .filter(Q(initiative__isnull=False) | Q(objective__isnull=False))
        .values("initiative_id", "initiative__title", "objective_id", "objective__title")
        .annotate(tasks=Count("id"))
        .order_by("-tasks", "initiative__title", "objective__title", "initiative_id", "objective_id")[
            : limit + 1
        ]
    )
    goals = [
        ServedGoal(
            goal=GoalLink("initiative", row["initiative_id"], row["initiative__title"])
            if row["initiative_id"] is not None
            else GoalLink("objective", row["objective_id"], row["objective__title"]),
            tasks=row["tasks"],
        )
        for row in rows[:limit]
    ]
    return goals, len(rows) > limit


def raised_by(*, organization: Organization, person: Person) -> QuerySet[FeedbackItem]:
    """The feedback `person` raised, with what it is about and who answered (page it newest first)."""
    return (
        FeedbackItem.objects.for_org(organization)
        .filter(author=person)
        .select_related("objective", "initiative", "answered_by")
    )


def recognitions_of(
    *, organization: Organization, to_person: Person | None = None, from_person: Person | None = None
) -> QuerySet[Recognition]:
    """The recognitions given to or by a person, with both people and the goal (page them newest first)."""
    recognitions = Recognition.objects.for_org(organization).select_related(
        "from_person", "to_person", "objective", "initiative"
    )
    if to_person is not None:
        recognitions = recognitions.filter(to_person=to_person)
    if from_person is not None:
        recognitions = recognitions.filter(from_person=from_person)
    return recognitions


def check_ins_due(*, organization: Organization, person: Person, as_of: date) -> list[StaleItem]:
    """The tracked items `person` owns without a fresh check-in (the rule of the weekly reminder), by
    title. Two queries; as many rows as the items the person owns (page them, then `with_key_results`)."""
    objectives, initiatives = tracked_without_check_in(
        organization=organization, as_of=as_of, since=fresh_from(organization=organization, as_of=as_of)
    )
    return sorted(
        [
            StaleItem("objective", pk, title)
            for pk, title in objectives.filter(owner=person).values_list("pk", "title")
        ]
        + [
            StaleItem("initiative", pk, title)
            for pk, title in initiatives.filter(owner=person).values_list("pk", "title")
        ],
        key=lambda item: (item.title, item.kind, item.id),
    )


def owns_tracked_goals(*, organization: Organization, person: Person) -> bool:
    """Does `person` own an active objective or initiative (what asks for their check-ins)? One or two
    queries."""
    objectives = Objective.objects.for_org(organization).filter(owner=person)
    initiatives = Initiative.objects.for_org(organization).filter(owner=person)
    return (
        objectives.filter(status=ObjectiveStatus.ACTIVE).exists()
        or initiatives.filter(status=InitiativeStatus.ACTIVE).exists()
    )


def with_key_results(*, organization: Organization, items: Sequence[StaleItem]) -> list[DueCheckIn]:
    """The due items (a page of them), each objective with its key results to check in on. One query."""
    objective_ids = [item.id for item in items if item.kind == "objective"]
    key_results: dict[int, list[KeyResult]] = {}
    if objective_ids:
        for key_result in KeyResult.objects.for_org(organization).filter(objective_id__in=objective_ids):
            key_results.setdefault(key_result.objective_id, []).append(key_result)
    return [
        DueCheckIn(
            item=item, key_results=tuple(key_results.get(item.id, ())) if item.kind == "objective" else ()
        )
        for item in items
    ]


@dataclass(frozen=True)
class FeedbackFilters:
    status: str = ""
    kind: str = ""
    team: Team | None = None
    search: str = ""  # the text contains it


def feedback_list(*, organization: Organization, filters: FeedbackFilters) -> QuerySet[FeedbackItem]:
    """The organization's feedback that matches `filters`, with what keyset pages in `FEEDBACK_ORDER`
    read (open blockers first, then the rest newest first). A team's feedback is about its
    objectives and initiatives (an initiative without a team belongs to its objective's)."""
    items = FeedbackItem.objects.for_org(organization)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.team is not None:
        items = items.filter(_about_teams([filters.team.pk]))
    if filters.search:
        items = items.filter(text__icontains=filters.search)
    unanswered_blocker = Q(kind=FeedbackKind.BLOCKER, status=FeedbackStatus.OPEN)
    return items.select_related(
        "author", "answered_by", "objective__team", "initiative__team", "initiative__objective__team"
    ).annotate(
        open_blocker_rank=Case(
            When(unanswered_blocker, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        open_blocker_since=Case(
            When(unanswered_blocker, then="created_at"), default=None, output_field=DateTimeField()
        ),
    )


def feedback_to_answer(
    *, organization: Organization, team_ids: Collection[int] | None
) -> QuerySet[FeedbackItem]:
    """Open feedback waiting for an answer (page it in `TO_ANSWER_ORDER`: blockers first, the longest
    waiting first): about the teams of `team_ids`, or all of it when `team_ids` is None."""
    items = FeedbackItem.objects.for_org(organization).filter(status=FeedbackStatus.OPEN)
    if team_ids is not None:
        items = items.filter(_about_teams(team_ids))
    return items.select_related("author", "objective", "initiative").annotate(
        blocker_rank=Case(
            When(kind=FeedbackKind.BLOCKER, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )


def _about_teams(team_ids: Collection[int]) -> Q:
    """Feedback about the teams' objectives and initiatives (an initiative without a team belongs to
    its objective's team), as `execgap.roles.team_id_of` reads it."""
    return (
        Q(objective__team__in=team_ids)
        | Q(initiative__team__in=team_ids)
        | Q(initiative__team__isnull=True, initiative__objective__team__in=team_ids)
    )


def feedback_item(*, organization: Organization, pk: int) -> QuerySet[FeedbackItem]:
    """The one item (as a queryset, for `get_object_or_404`), with what it is about and its author."""
    return (
        FeedbackItem.objects.for_org(organization)
        .filter(pk=pk)
        .select_related(
            "author", "answered_by", "objective__team", "initiative__team", "initiative__objective__team"
        )
    )
