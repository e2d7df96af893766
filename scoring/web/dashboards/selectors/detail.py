"""The page of one objective or initiative: its facts, its numbers in the latest snapshot, the rows
below it, its tasks and check-ins (each a keyset page with its own search: `detail_lists`) and its
latest plan history. A fixed number of queries, whatever the number of children, tasks, check-ins,
revisions or objectives in the organization (the breadcrumb climbs the cascade in one query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.safestring import SafeString

from execgap.roles import Action, Resource
from execgap.web.charts import share_bars
from execgap.web.pages import OrgContext
from execgap.web.paging import ListPage, rows_of
from feedback.models import CheckIn
from feedback.selectors import PLAN_HISTORY_MODELS, PlanRevision, plan_revisions_by_record
from objectives.ancestry import chain_up, objective_ancestry
from objectives.models import Initiative, KeyResult, Objective, Task
from resources.models import Allocation
from scoring.drift_people import initiative_drift_people
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot
from scoring.selectors import initiative_scores_of, objective_scores_of, snapshot_latest
from scoring.web.dashboards.selectors.detail_lists import (
    ScoredRow,
    SearchedList,
    allocation_list,
    check_in_list,
    child_list,
    initiative_list,
    task_list,
)
from scoring.web.dashboards.selectors.strategy import NodeFacts, node_facts
from scoring.web.trends import objective_trend

HISTORY_LIMIT = 10

__all__ = ["HISTORY_LIMIT", "DetailPage", "KeyResultRow", "ScoredRow", "initiative_page", "objective_page"]


@dataclass(frozen=True)
class KeyResultRow:
    key_result: KeyResult
    progress: float  # 0–1, SCORING.md's key result progress
    last_value: Any
    last_confidence: int | None
    last_date: Any
    can_change: bool


@dataclass
class DetailPage:
    ancestors: list[tuple[int, str]]  # the objectives above, from the root down: (id, title)
    snapshot: ScoreSnapshot | None
    facts: NodeFacts
    score: ObjectiveScore | InitiativeScore | None
    tasks: SearchedList
    check_ins: SearchedList
    history: list[PlanRevision]  # the latest HISTORY_LIMIT revisions
    more_history: bool  # there are older ones (in the plan history)
    actions: dict[str, bool]
    key_results: list[KeyResultRow] = field(default_factory=list)
    children: ListPage[ScoredRow] | None = None
    initiatives: ListPage[ScoredRow] | None = None
    allocations: ListPage[tuple[Allocation, bool]] | None = None  # (allocation, may change)
    share_chart: SafeString | None = None  # an objective's actual against intended effort share
    trend: SafeString | None = None  # an objective's progress and coverage, day by day

    @property
    def errors(self) -> list[str]:
        """What the request's list parameters got wrong (each list shows its own; the view answers 400)."""
        lists: list[ListPage[Any] | None] = [self.children, self.initiatives, self.allocations]
        return [error for error in (self.tasks.error, self.check_ins.error) if error] + [
            page.error for page in lists if page is not None and page.error
        ]


def key_result_progress(key_result: KeyResult) -> float:
    """(current − start) / (target − start) clamped to [0, 1]; where target = start: 1 once reached."""
    start, target, current = key_result.start_value, key_result.target_value, key_result.current_value
    if target == start:
        return 1.0 if current == target else 0.0
    progress = float((current - start) / (target - start))
    return max(0.0, min(1.0, progress))


def _ancestors(org: OrgContext, objective_id: int | None) -> list[tuple[int, str]]:
    """The objectives above (from the root down): one query climbing the cascade."""
    ids = [objective_id] if objective_id is not None else []
    return chain_up(objective_ancestry(organization=org.organization, objective_ids=ids), objective_id)


def _history(org: OrgContext, kind: str, obj: Objective | Initiative) -> tuple[list[PlanRevision], bool]:
    """The object's latest HISTORY_LIMIT revisions, and whether there are older ones: the ids of one
    more are read (never the whole history), then the revisions of those shown."""
    records = PLAN_HISTORY_MODELS[kind].history.model.objects  # type: ignore[attr-defined]
    ids = list(
        records.filter(organization_id=org.organization.pk, id=obj.pk)
        .order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)[: HISTORY_LIMIT + 1]
    )
    shown = ids[:HISTORY_LIMIT]
    revisions = plan_revisions_by_record(kind=kind, history_ids=shown) if shown else []
    return revisions, len(ids) > HISTORY_LIMIT


def objective_key_results(*, objective: Objective) -> list[Any]:
    """The objective's key results (few by nature), each with its latest check-in's value,
    confidence and date (`last_value`, `last_confidence`, `last_date`): one query."""
    check_ins = CheckIn.objects.for_org(objective.organization_id)
    latest = check_ins.filter(key_result=OuterRef("pk")).order_by("-date", "-id")
    return list(
        KeyResult.objects.for_org(objective.organization_id)
        .filter(objective=objective)
        .annotate(
            last_value=Subquery(latest.values("value")[:1]),
            last_confidence=Subquery(latest.values("confidence")[:1]),
            last_date=Subquery(latest.values("date")[:1]),
        )
        .order_by("id")
    )


def objective_tasks(*, objective: Objective) -> QuerySet[Task]:
    """The objective's tasks: on it, or on its initiatives, by their ids (one query for the
    initiatives'): an OR across a join would make the database read every task."""
    initiatives = Initiative.objects.for_org(objective.organization_id).filter(objective=objective)
    initiative_ids = list(initiatives.values_list("id", flat=True))
    return Task.objects.for_org(objective.organization_id).filter(
        Q(objective=objective) | Q(initiative_id__in=initiative_ids)
    )


def objective_check_ins(
    *, objective: Objective, key_result_ids: list[int] | None = None
) -> QuerySet[CheckIn]:
    """The objective's check-ins: on it, or on its key results (`key_result_ids` when read already)."""
    if key_result_ids is None:
        key_results = KeyResult.objects.for_org(objective.organization_id).filter(objective=objective)
        key_result_ids = list(key_results.values_list("id", flat=True))
    return (
        CheckIn.objects.for_org(objective.organization_id)
        .filter(Q(objective=objective) | Q(key_result_id__in=key_result_ids))
        .select_related("author", "key_result")
    )


def initiative_tasks(*, initiative: Initiative) -> QuerySet[Task]:
    return Task.objects.for_org(initiative.organization_id).filter(initiative=initiative)


def initiative_check_ins(*, initiative: Initiative) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.for_org(initiative.organization_id)
        .filter(initiative=initiative)
        .select_related("author")
    )


def objective_page(*, org: OrgContext, objective: Objective, request: HttpRequest) -> DetailPage:
    """The objective's page; its lists are the pages `request` asks for."""
    organization = org.organization
    snapshot = snapshot_latest(organization=organization)
    score = (
        objective_scores_of(snapshot=snapshot).filter(objective_id=objective.pk).first() if snapshot else None
    )
    key_results = objective_key_results(objective=objective)
    for key_result in key_results:
        key_result.objective = objective  # the role check finds the team through it, with no query
    tasks = objective_tasks(objective=objective)
    check_ins = objective_check_ins(objective=objective, key_result_ids=[kr.pk for kr in key_results])
    history, more_history = _history(org, "objective", objective)
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
        trend=(
            objective_trend(
                organization=organization, snapshot=snapshot, objective_id=objective.pk, title=objective.title
            )
            if snapshot
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
        children=child_list(
            children=Objective.objects.for_org(organization).filter(parent=objective),
            snapshot=snapshot,
            request=request,
        ),
        initiatives=initiative_list(
            initiatives=Initiative.objects.for_org(organization).filter(objective=objective),
            snapshot=snapshot,
            request=request,
        ),
        tasks=task_list(tasks=tasks, request=request),
        check_ins=check_in_list(check_ins=check_ins, request=request),
        history=history,
        more_history=more_history,
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


def initiative_page(*, org: OrgContext, initiative: Initiative, request: HttpRequest) -> DetailPage:
    """The initiative's page; its lists are the pages `request` asks for."""
    organization = org.organization
    snapshot = snapshot_latest(organization=organization)
    score = (
        initiative_scores_of(snapshot=snapshot).filter(initiative_id=initiative.pk).first()
        if snapshot
        else None
    )
    if snapshot is not None and score is not None:
        initiative_drift_people(snapshot=snapshot, scores=[score])
    allocations = allocation_list(
        allocations=Allocation.objects.for_org(organization).filter(initiative=initiative), request=request
    )
    for allocation in allocations.rows:
        allocation.initiative = initiative  # the role check finds the team through it, with no query
    history, more_history = _history(org, "initiative", initiative)
    return DetailPage(
        ancestors=_ancestors(org, initiative.objective_id),
        snapshot=snapshot,
        facts=node_facts(score),
        score=score,
        allocations=rows_of(
            allocations,
            lambda allocation: (allocation, org.can(Resource.ALLOCATION, Action.CHANGE, allocation)),
        ),
        tasks=task_list(tasks=initiative_tasks(initiative=initiative), request=request),
        check_ins=check_in_list(check_ins=initiative_check_ins(initiative=initiative), request=request),
        history=history,
        more_history=more_history,
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
