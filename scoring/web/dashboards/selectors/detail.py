"""The page of one objective or initiative: its facts, its numbers in the latest snapshot, the rows
below it (capped, with their count), its check-ins and its plan history. A fixed number of queries,
whatever the number of key results, children, tasks or check-ins."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.safestring import SafeString

from execgap.roles import Action, Resource
from execgap.web.charts import share_bars
from execgap.web.pages import OrgContext
from feedback.models import CheckIn
from feedback.selectors import PlanRevision, plan_history_for
from objectives.models import OPEN_TASK_STATUSES, Initiative, KeyResult, Objective, Task
from resources.models import Allocation
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot
from scoring.selectors import initiative_scores_of, objective_scores_of, snapshot_latest
from scoring.web.dashboards.selectors import capped
from scoring.web.dashboards.selectors.strategy import NodeFacts, node_facts

TASK_LIMIT = 25
CHECK_IN_LIMIT = 10
HISTORY_LIMIT = 10


@dataclass(frozen=True)
class Capped:
    """The first rows of a list, and how many there are in all."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _capped(rows: QuerySet[Any], limit: int) -> Capped:
    return Capped(*capped(rows, limit))


@dataclass(frozen=True)
class KeyResultRow:
    key_result: KeyResult
    progress: float  # 0–1, SCORING.md's key result progress
    last_value: Any
    last_confidence: int | None
    last_date: Any
    can_change: bool


@dataclass(frozen=True)
class ScoredRow:
    """A child objective or an initiative, with its numbers in the latest snapshot."""

    row: Objective | Initiative
    facts: NodeFacts


@dataclass
class DetailPage:
    ancestors: list[tuple[int, str]]  # the objectives above, from the root down: (id, title)
    snapshot: ScoreSnapshot | None
    facts: NodeFacts
    score: ObjectiveScore | InitiativeScore | None
    tasks: Capped
    check_ins: Capped
    history: list[PlanRevision]
    history_total: int
    actions: dict[str, bool]
    key_results: list[KeyResultRow] = field(default_factory=list)
    children: list[ScoredRow] = field(default_factory=list)
    initiatives: list[ScoredRow] = field(default_factory=list)
    allocations: list[tuple[Allocation, bool]] = field(default_factory=list)  # (allocation, may change)
    share_chart: SafeString | None = None  # an objective's actual against intended effort share


def key_result_progress(key_result: KeyResult) -> float:
    """(current − start) / (target − start) clamped to [0, 1]; where target = start: 1 once reached."""
    start, target, current = key_result.start_value, key_result.target_value, key_result.current_value
    if target == start:
        return 1.0 if current == target else 0.0
    progress = float((current - start) / (target - start))
    return max(0.0, min(1.0, progress))


def _ancestors(org: OrgContext, objective_id: int | None) -> list[tuple[int, str]]:
    edges = {
        pk: (parent_id, title)
        for pk, parent_id, title in Objective.objects.for_org(org.organization).values_list(
            "pk", "parent_id", "title"
        )
    }
    chain: list[tuple[int, str]] = []
    seen: set[int] = set()
    while objective_id is not None and objective_id in edges and objective_id not in seen:
        seen.add(objective_id)
        chain.append((objective_id, edges[objective_id][1]))
        objective_id = edges[objective_id][0]
    return chain[::-1]


def _open_first(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return (
        tasks.select_related("assignee", "team", "initiative")
        .annotate(
            closed=Case(
                When(status__in=OPEN_TASK_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", F("due_date").asc(nulls_last=True), "id")
    )


def _history(org: OrgContext, obj: Objective | Initiative) -> tuple[list[PlanRevision], int]:
    revisions = plan_history_for(organization=org.organization, obj=obj)
    return revisions[:HISTORY_LIMIT], len(revisions)


def objective_page(*, org: OrgContext, objective: Objective) -> DetailPage:
    organization = org.organization
    snapshot = snapshot_latest(organization=organization)
    score = (
        objective_scores_of(snapshot=snapshot).filter(objective_id=objective.pk).first() if snapshot else None
    )
    latest = CheckIn.objects.for_org(organization).filter(key_result=OuterRef("pk")).order_by("-date", "-id")
    key_results = list(
        KeyResult.objects.for_org(organization)
        .filter(objective=objective)
        .annotate(
            last_value=Subquery(latest.values("value")[:1]),
            last_confidence=Subquery(latest.values("confidence")[:1]),
            last_date=Subquery(latest.values("date")[:1]),
        )
        .order_by("id")
    )
    for key_result in key_results:
        key_result.objective = objective  # the role check finds the team through it, with no query
    children = list(
        Objective.objects.for_org(organization).filter(parent=objective).select_related("team", "owner")
    )
    children.sort(key=lambda child: (-child.priority_weight, child.title.casefold(), child.pk))
    initiatives = list(
        Initiative.objects.for_org(organization)
        .filter(objective=objective)
        .select_related("team", "owner")
        .order_by("title", "id")
    )
    child_scores: dict[int | None, ObjectiveScore] = {}
    initiative_scores: dict[int | None, InitiativeScore] = {}
    if snapshot is not None:
        child_scores = {
            row.objective_id: row
            for row in objective_scores_of(snapshot=snapshot).filter(
                objective_id__in=[c.pk for c in children]
            )
        }
        initiative_scores = {
            row.initiative_id: row
            for row in initiative_scores_of(snapshot=snapshot).filter(
                initiative_id__in=[i.pk for i in initiatives]
            )
        }
    tasks = Task.objects.for_org(organization).filter(
        Q(objective=objective) | Q(initiative__objective=objective)
    )
    check_ins = (
        CheckIn.objects.for_org(organization)
        .filter(Q(objective=objective) | Q(key_result__objective=objective))
        .select_related("author", "key_result")
        .order_by("-date", "-id")
    )
    history, history_total = _history(org, objective)
    may_check_in = org.can(Resource.CHECK_IN, Action.CREATE)
    return DetailPage(
        ancestors=_ancestors(org, objective.parent_id),
        snapshot=snapshot,
        facts=node_facts(score),
        score=score,
        share_chart=(
            share_bars(score.actual_share, score.intended_share, f"{objective.title} effort share")
            if score
            else None
        ),
        key_results=[
            KeyResultRow(
                key_result=kr,
                progress=key_result_progress(kr),
                last_value=kr.last_value,
                last_confidence=kr.last_confidence,
                last_date=kr.last_date,
                can_change=org.can(Resource.KEY_RESULT, Action.CHANGE, kr),
            )
            for kr in key_results
        ],
        children=[ScoredRow(child, node_facts(child_scores.get(child.pk))) for child in children],
        initiatives=[ScoredRow(i, node_facts(initiative_scores.get(i.pk))) for i in initiatives],
        tasks=_capped(_open_first(tasks), TASK_LIMIT),
        check_ins=_capped(check_ins, CHECK_IN_LIMIT),
        history=history,
        history_total=history_total,
        actions={
            "edit": org.can(Resource.OBJECTIVE, Action.CHANGE, objective),
            "delete": org.can(Resource.OBJECTIVE, Action.DELETE, objective),
            "add_child": org.can(
                Resource.OBJECTIVE,
                Action.CREATE,
                Objective(organization_id=organization.pk, parent=objective, team_id=objective.team_id),
            ),
            "add_key_result": org.can(
                Resource.KEY_RESULT,
                Action.CREATE,
                KeyResult(organization_id=organization.pk, objective=objective),
            ),
            "add_initiative": org.can(
                Resource.INITIATIVE,
                Action.CREATE,
                Initiative(organization_id=organization.pk, objective=objective, team_id=objective.team_id),
            ),
            "add_task": org.can(Resource.TASK, Action.CREATE),
            "check_in": may_check_in,
            "raise_blocker": org.can(Resource.FEEDBACK, Action.CREATE),
        },
    )


def initiative_page(*, org: OrgContext, initiative: Initiative) -> DetailPage:
    organization = org.organization
    snapshot = snapshot_latest(organization=organization)
    score = (
        initiative_scores_of(snapshot=snapshot).filter(initiative_id=initiative.pk).first()
        if snapshot
        else None
    )
    allocations = list(
        Allocation.objects.for_org(organization)
        .filter(initiative=initiative)
        .select_related("person", "person__team")
        .order_by("person__name", "id")
    )
    for allocation in allocations:
        allocation.initiative = initiative  # the role check finds the team through it, with no query
    history, history_total = _history(org, initiative)
    return DetailPage(
        ancestors=_ancestors(org, initiative.objective_id),
        snapshot=snapshot,
        facts=node_facts(score),
        score=score,
        allocations=[
            (allocation, org.can(Resource.ALLOCATION, Action.CHANGE, allocation))
            for allocation in allocations
        ],
        tasks=_capped(
            _open_first(Task.objects.for_org(organization).filter(initiative=initiative)), TASK_LIMIT
        ),
        check_ins=_capped(
            CheckIn.objects.for_org(organization)
            .filter(initiative=initiative)
            .select_related("author")
            .order_by("-date", "-id"),
            CHECK_IN_LIMIT,
        ),
        history=history,
        history_total=history_total,
        actions={
            "edit": org.can(Resource.INITIATIVE, Action.CHANGE, initiative),
            "delete": org.can(Resource.INITIATIVE, Action.DELETE, initiative),
            "staff": org.can(
                Resource.ALLOCATION,
                Action.CREATE,
                Allocation(organization_id=organization.pk, initiative=initiative),
            ),
            "add_task": org.can(Resource.TASK, Action.CREATE),
            "check_in": org.can(Resource.CHECK_IN, Action.CREATE),
            "raise_blocker": org.can(Resource.FEEDBACK, Action.CREATE),
        },
    )
