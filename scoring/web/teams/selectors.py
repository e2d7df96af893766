"""Reads of the team pages: the teams with their people and work, and one team's workspace.

Each function runs a fixed number of queries, whatever the number of teams, tasks, initiatives or
allocations (links come along with `select_related`, allocations with one `prefetch_related`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, Max, Prefetch, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber

from execgap.models import Organization
from execgap.web.paging import Key, Order
from feedback.reminders import fresh_from, tracked_without_check_in
from objectives.models import (
    OPEN_TASK_STATUSES,
    Initiative,
    InitiativeStatus,
    KeyResult,
    Objective,
    Task,
)
from resources.models import Allocation, Person, Team
from resources.selectors import team_tree
from scoring.models import InitiativeScore, TeamScore
from scoring.selectors import snapshot_latest


@dataclass(frozen=True)
class TeamRow:
    """A team in the organization's tree, with its lead, people and open work."""

    team: Team
    depth: int
    lead: Person | None
    people: int  # active people whose team it is
    open_tasks: int  # tasks to do, in progress or blocked
    unlinked_tasks: int  # of those, linked to no goal
    alignment: TeamScore | None  # the latest snapshot's alignment of the team and the teams below it
    # The team it is part of, when that team is not listed just above it (on another page, or
    # left out by a search): the reader still sees where it sits.
    part_of: str = ""


@dataclass(frozen=True)
class TreeTeam:
    """A team in the tree, with its depth and the team it is part of."""

    team: Team
    depth: int
    parent: Team | None


def team_nodes(*, organization: Organization, search: str = "") -> list[TreeTeam]:
    """Every team of the organization in tree order, or those whose name contains `search` (by name,
    at depth 0). One query of the teams themselves: an organization has hundreds of teams, not
    millions; what grows with it (people, tasks) is read by `team_rows` for the teams shown only."""
    nodes = team_tree(organization=organization)
    by_id = {node.team.pk: node.team for node in nodes}
    tree = [TreeTeam(node.team, node.depth, by_id.get(node.team.parent_id or 0)) for node in nodes]
    if not search:
        return tree
    needle = search.casefold()
    found = sorted(
        (row for row in tree if needle in row.team.name.casefold()),
        key=lambda row: (row.team.name, row.team.pk),
    )
    return [TreeTeam(row.team, 0, row.parent) for row in found]


def team_rows(*, organization: Organization, nodes: Sequence[TreeTeam]) -> list[TeamRow]:
    """The given teams (a page of them) with their lead, counts, alignment and, when their parent is
    not listed above them, the team they are part of. Five queries, each over the given teams only
    (the tasks through the (organization, team) index)."""
    team_ids = [node.team.pk for node in nodes]
    lead_ids = {node.team.lead_id for node in nodes if node.team.lead_id is not None}
    leads = {person.pk: person for person in Person.objects.for_org(organization).filter(pk__in=lead_ids)}
    people = dict(
        Person.objects.for_org(organization)
        .filter(active=True, team__in=team_ids)
        .values("team")
        .annotate(count=Count("*"))  # from the (organization, team, active) index alone
        .values_list("team", "count")
    )
    tasks: dict[int, tuple[int, int]] = {
        team_id: (open_count, unlinked)
        for team_id, open_count, unlinked in Task.objects.for_org(organization)
        .filter(team__in=team_ids, status__in=OPEN_TASK_STATUSES)
        .values("team")
        .annotate(  # counted by team: the task_open_by_team index answers this without reading a task
            open=Count("team"),
            unlinked=Count("team", filter=Q(initiative__isnull=True, objective__isnull=True)),
        )
        .values_list("team", "open", "unlinked")
    }
    alignment = team_alignments(organization=organization, team_ids=team_ids)
    return [
        TeamRow(
            team=node.team,
            depth=node.depth,
            lead=leads.get(node.team.lead_id) if node.team.lead_id is not None else None,
            people=people.get(node.team.pk, 0),
            open_tasks=tasks.get(node.team.pk, (0, 0))[0],
            unlinked_tasks=tasks.get(node.team.pk, (0, 0))[1],
            alignment=alignment.get(node.team.pk),
            part_of=_part_of(nodes, index),
        )
        for index, node in enumerate(nodes)
    ]


def _part_of(nodes: Sequence[TreeTeam], index: int) -> str:
    """The parent's name of row `index` when the reader cannot see it above: not listed above, and
    (in the tree; a search lists flat) not said already by the sibling just above."""
    node = nodes[index]
    if node.parent is None or node.parent.pk in {row.team.pk for row in nodes[:index]}:
        return ""
    said_above = index > 0 and node.depth > 0 and nodes[index - 1].parent == node.parent
    return "" if said_above else node.parent.name


def team_alignments(
    *, organization: Organization | int, team_ids: Collection[int] | None = None
) -> dict[int, TeamScore]:
    """The latest snapshot's alignment row of each team (of `team_ids` only, when given); empty before
    the first recompute. Two queries."""
    snapshot = snapshot_latest(organization=organization)
    if snapshot is None:
        return {}
    scores = TeamScore.objects.for_org(snapshot.organization_id).filter(snapshot=snapshot, team__isnull=False)
    if team_ids is not None:
        scores = scores.filter(team__in=list(team_ids))
    return {score.team_id: score for score in scores if score.team_id is not None}


# The workspace's tasks, newest first: the (organization, team, id) index read backwards.
TEAM_TASKS_ORDER = Order(Key("id", descending=True))


def team_tasks(*, team: Team) -> QuerySet[Task]:
    """The team's tasks (those whose team is this one), newest first, with their goal and assignee."""
    return (
        Task.objects.for_org(team.organization_id)
        .filter(team=team)
        .select_related("initiative", "objective", "assignee")
        .order_by("-id")
    )


# The names a workspace's header shows; beyond them it says how many more (the settings list them all).
PEOPLE_SHOWN = 12


@dataclass(frozen=True)
class TeamPeople:
    """The team's active people: how many, and the first PEOPLE_SHOWN of them by name."""

    count: int
    first: list[Person]

    @property
    def more(self) -> int:
        return self.count - len(self.first)


def team_people(*, team: Team) -> TeamPeople:
    """Two queries, whatever the size of the team."""
    people = Person.objects.for_org(team.organization_id).filter(team=team, active=True)
    return TeamPeople(count=people.count(), first=list(people.order_by("name", "id")[:PEOPLE_SHOWN]))


# The allocations shown under each initiative of the staffing section; the initiative's page lists them all.
ALLOCATIONS_SHOWN = 10
INITIATIVES_PER_PAGE = 10
CLOSED = (InitiativeStatus.DONE, InitiativeStatus.CANCELLED)


@dataclass(frozen=True)
class InitiativeStaffing:
    """An initiative of the team with its first allocations (by person) and, when the latest snapshot
    scored it (active initiatives only), its coverage: supply and demand in hours over its window.
    `allocation_count` and `hours_per_week` are over all its allocations."""

    initiative: Initiative
    allocations: list[Allocation]
    allocation_count: int
    hours_per_week: float
    score: InitiativeScore | None

    @property
    def more_allocations(self) -> int:
        return self.allocation_count - len(self.allocations)


def team_initiatives(*, team: Team) -> QuerySet[Initiative]:
    """The team's initiatives, open ones first, then by title (a team's are few enough to count)."""
    return (
        Initiative.objects.for_org(team.organization_id)
        .filter(team=team)
        .select_related("objective", "owner")
        .annotate(closed=Case(When(status__in=CLOSED, then=Value(1)), default=Value(0)))
        .order_by("closed", "title", "id")
    )


def team_staffing(*, team: Team, initiatives: Sequence[Initiative]) -> list[InitiativeStaffing]:
    """The staffing of `initiatives` (a page of `team_initiatives`): each one's first ALLOCATIONS_SHOWN
    allocations, its allocation count and hours, and its coverage. Four queries."""
    ids = [initiative.pk for initiative in initiatives]
    allocations = Allocation.objects.for_org(team.organization_id).filter(initiative__in=ids)
    totals = {
        row["initiative_id"]: (row["count"], float(row["hours"] or 0))
        for row in allocations.values("initiative_id").annotate(
            count=Count("pk"), hours=Sum("hours_per_week")
        )
    }
    ranked = allocations.annotate(
        rank=Window(RowNumber(), partition_by=[F("initiative_id")], order_by=[F("person__name"), F("id")])
    )
    shown: dict[int, list[Allocation]] = {}
    for allocation in (
        Allocation.objects.filter(pk__in=ranked.filter(rank__lte=ALLOCATIONS_SHOWN).values("pk"))
        .select_related("person")
        .order_by("person__name", "id")
    ):
        shown.setdefault(allocation.initiative_id, []).append(allocation)
    snapshot = snapshot_latest(organization=team.organization_id)
    scores: dict[int | None, InitiativeScore] = {}
    if snapshot is not None and ids:
        scores = {
            score.initiative_id: score
            for score in InitiativeScore.objects.for_org(team.organization_id).filter(
                snapshot=snapshot, initiative__in=ids
            )
        }
    return [
        InitiativeStaffing(
            initiative=initiative,
            allocations=shown.get(initiative.pk, []),
            allocation_count=totals.get(initiative.pk, (0, 0.0))[0],
            hours_per_week=totals.get(initiative.pk, (0, 0.0))[1],
            score=scores.get(initiative.pk),
        )
        for initiative in initiatives
    ]


@dataclass(frozen=True)
class CheckInDue:
    """A tracked item of the team whose check-in is due (see feedback.reminders and SCORING.md
    "Adaptability"). `key_results` are an objective's, to check in on one of them."""

    kind: str  # "objective" or "initiative"
    item: Objective | Initiative
    last_check_in: date | None
    key_results: list[KeyResult]
    stale: bool  # no fresh check-in today: overdue (or never checked in); else it is due today

    def days_since(self, as_of: date) -> int | None:
        return None if self.last_check_in is None else (as_of - self.last_check_in).days


def checkins_due(*, team: Team, as_of: date) -> list[CheckInDue]:
    """The team's tracked items (objectives active at `as_of`, active initiatives) whose check-in is
    overdue or due today.

    Tracked and fresh as the scores and the weekly reminder read them (`feedback.reminders`): a
    check-in dated in [as_of − C + 1, as_of], C being the organization's check-in cadence, one on an
    objective's key result counting for the objective. An item without one is overdue; one whose
    latest fresh check-in stops counting tomorrow is due today. Never checked in first, then the
    oldest last check-in. Three queries.
    """
    organization = team.organization
    fresh = fresh_from(organization=organization, as_of=as_of)
    # Not fresh tomorrow either: no check-in from the day after the window's first (today itself
    # when the cadence is one day).
    lasting_from = min(fresh + timedelta(days=1), as_of)
    objectives, initiatives = tracked_without_check_in(
        organization=organization, as_of=as_of, since=lasting_from
    )
    objectives = (
        objectives.filter(team=team)
        .annotate(
            last_own=Max("check_ins__date", filter=Q(check_ins__date__lte=as_of)),
            last_key_result=Max(
                "key_results__check_ins__date", filter=Q(key_results__check_ins__date__lte=as_of)
            ),
        )
        .select_related("owner")
        .prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.for_org(organization).order_by("id"))
        )
    )
    initiatives = (
        initiatives.filter(team=team)
        .annotate(last=Max("check_ins__date", filter=Q(check_ins__date__lte=as_of)))
        .select_related("owner")
    )
    found: list[tuple[str, Objective | Initiative, date | None, list[KeyResult]]] = [
        ("objective", objective, _latest(objective.last_own, objective.last_key_result),
         list(objective.key_results.all()))
        for objective in objectives
    ] + [("initiative", initiative, initiative.last, []) for initiative in initiatives]  # fmt: skip
    due = [
        CheckInDue(
            kind=kind,
            item=item,
            last_check_in=last,
            key_results=key_results,
            stale=last is None or last < fresh,
        )
        for kind, item, last, key_results in found
    ]
    due.sort(
        key=lambda entry: (entry.last_check_in is not None, entry.last_check_in or as_of, entry.item.title)
    )
    return due


def _latest(*dates: date | None) -> date | None:
    known = [day for day in dates if day is not None]
    return max(known) if known else None


def own_teams(*, nodes: Collection[TreeTeam], person: Person | None) -> list[TreeTeam]:
    """The teams a person leads or belongs to (not the teams below them), in the order of `nodes`."""
    if person is None:
        return []
    return [node for node in nodes if node.team.lead_id == person.pk or node.team.pk == person.team_id]
