"""Reads of the feedback pages: my work, the feedback list and one feedback item.

Each function runs a fixed number of queries whatever the number of rows (links are joined or
prefetched), so that the pages do not slow down as the organization grows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from execgap.models import Organization
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus, Recognition
from feedback.reminders import StaleItem, fresh_from, tracked_without_check_in
from objectives.models import OPEN_TASK_STATUSES, KeyResult, Objective, Task
from resources.models import Person, Team

# How many of my recent feedback items and recognitions "my work" shows (the rest are in the list).
RECENT_LIMIT = 20


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


@dataclass(frozen=True)
class MyWork:
    person: Person | None
    tasks: list[MyTask]
    due: list[DueCheckIn]
    feedback: list[FeedbackItem]
    feedback_count: int
    given: list[Recognition]
    received: list[Recognition]

    @property
    def served(self) -> list[ServedGoal]:
        """The goals my open tasks link to (in the order of the tasks), each once."""
        counts: dict[GoalLink, int] = {}
        for row in self.tasks:
            if row.chain:
                counts[row.chain[-1]] = counts.get(row.chain[-1], 0) + 1
        return [ServedGoal(goal=goal, tasks=count) for goal, count in counts.items()]


def my_work(*, organization: Organization, person: Person | None, as_of: date) -> MyWork:
    """What "my work" shows for `person` (nothing when the member has no person record)."""
    if person is None:
        return MyWork(person=None, tasks=[], due=[], feedback=[], feedback_count=0, given=[], received=[])
    raised = FeedbackItem.objects.for_org(organization).filter(author=person)
    recognitions = Recognition.objects.for_org(organization).select_related(
        "from_person", "to_person", "objective", "initiative"
    )
    return MyWork(
        person=person,
        tasks=my_tasks(organization=organization, person=person),
        due=check_ins_due(organization=organization, person=person, as_of=as_of),
        feedback=list(raised.select_related("objective", "initiative", "answered_by")[:RECENT_LIMIT]),
        feedback_count=raised.count(),
        given=list(recognitions.filter(from_person=person)[:RECENT_LIMIT]),
        received=list(recognitions.filter(to_person=person)[:RECENT_LIMIT]),
    )


def my_tasks(*, organization: Organization, person: Person) -> list[MyTask]:
    """The open tasks assigned to `person` (due first), each with the chain of goals it serves.

    Two queries: the tasks with their links, and the organization's objective tree (titles and
    parents) to climb from each task's objective to its root.
    """
    tasks = list(
        Task.objects.for_org(organization)
        .filter(assignee=person, status__in=OPEN_TASK_STATUSES)
        .select_related("initiative", "objective", "team")
        .order_by(Case(When(due_date__isnull=True, then=Value(1)), default=Value(0)), "due_date", "id")
    )
    if not tasks:
        return []
    tree = {
        pk: (parent_id, title)
        for pk, parent_id, title in Objective.objects.for_org(organization).values_list(
            "id", "parent_id", "title"
        )
    }
    return [MyTask(task=task, chain=_chain(task, tree)) for task in tasks]


def _chain(task: Task, tree: Mapping[int, tuple[int | None, str]]) -> tuple[GoalLink, ...]:
    links: list[GoalLink] = []
    objective_id = task.objective_id
    if task.initiative is not None:
        links.append(GoalLink("initiative", task.initiative.pk, task.initiative.title))
        objective_id = task.initiative.objective_id
    seen: set[int] = set()
    while objective_id is not None and objective_id in tree and objective_id not in seen:
        seen.add(objective_id)  # the model refuses cycles; this only guards the loop
        parent_id, title = tree[objective_id]
        links.append(GoalLink("objective", objective_id, title))
        objective_id = parent_id
    return tuple(reversed(links))


def check_ins_due(*, organization: Organization, person: Person, as_of: date) -> list[DueCheckIn]:
    """The tracked items `person` owns without a fresh check-in (the rule of the weekly reminder),
    with the key results of each due objective."""
    objectives, initiatives = tracked_without_check_in(
        organization=organization, as_of=as_of, since=fresh_from(organization=organization, as_of=as_of)
    )
    items = sorted(
        [
            StaleItem("objective", pk, title)
            for pk, title in objectives.filter(owner=person).values_list("pk", "title")
        ]
        + [
            StaleItem("initiative", pk, title)
            for pk, title in initiatives.filter(owner=person).values_list("pk", "title")
        ],
        key=lambda item: item.title,
    )
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


def feedback_list(*, organization: Organization, filters: FeedbackFilters) -> QuerySet[FeedbackItem]:
    """The organization's feedback: open blockers first (oldest first: they have waited longest),
    then everything else newest first. A team's feedback is about its objectives and initiatives (an
    initiative without a team belongs to its objective's)."""
    items = FeedbackItem.objects.for_org(organization)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.team is not None:
        items = items.filter(_about_teams([filters.team.pk]))
    unanswered_blocker = Q(kind=FeedbackKind.BLOCKER, status=FeedbackStatus.OPEN)
    return items.select_related(
        "author", "answered_by", "objective__team", "initiative__team", "initiative__objective__team"
    ).order_by(
        Case(When(unanswered_blocker, then=Value(0)), default=Value(1), output_field=IntegerField()),
        Case(When(unanswered_blocker, then="created_at"), default=None).asc(nulls_last=True),
        "-created_at",
        "-id",
    )


def feedback_to_answer(
    *, organization: Organization, team_ids: Collection[int] | None, limit: int = RECENT_LIMIT
) -> tuple[list[FeedbackItem], int]:
    """Open feedback waiting for an answer, oldest first (blockers before the rest), and how many
    there are: about the teams of `team_ids`, or all of it when `team_ids` is None."""
    items = FeedbackItem.objects.for_org(organization).filter(status=FeedbackStatus.OPEN)
    if team_ids is not None:
        items = items.filter(_about_teams(team_ids))
    ordered = items.select_related("author", "objective", "initiative").order_by(
        Case(When(kind=FeedbackKind.BLOCKER, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "created_at",
        "id",
    )
    return list(ordered[:limit]), items.count()


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
