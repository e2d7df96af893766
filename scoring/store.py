"""Store: one snapshot and its per-node rows, in bulk, in one transaction (never half visible)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from execgap.models import Organization
from scoring.engine.calculate import ScoringResult
from scoring.engine.explain import drivers_of, parts_of
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore

BATCH_SIZE = 1000


def snapshot_store(
    *,
    organization_id: int,
    result: ScoringResult,
    task_drivers: dict[str, list[dict[str, Any]]],
    started_at: datetime,
    seen_changed_at: datetime | None,
) -> ScoreSnapshot:
    """Write the snapshot, then clear the stale mark unless a change landed after the read.

    `seen_changed_at` is the organization's `scores_changed_at` as the consistent read saw it: the
    mark is cleared only when no change is newer than both that and `started_at`, so a change that
    lands (or commits) during the run leaves the organization stale and a later run picks it up.
    """
    parameters = result.inputs.parameters
    with transaction.atomic():
        snapshot = ScoreSnapshot.objects.create(
            organization_id=organization_id,
            as_of=parameters.as_of,
            computed_at=timezone.now(),
            started_at=started_at,
            activity_window_days=parameters.activity_window_days,
            planning_horizon_days=parameters.planning_horizon_days,
            checkin_cadence_days=parameters.checkin_cadence_days,
            default_task_effort_hours=Decimal(str(parameters.default_task_effort_hours)),
            spread_thin_allocations=parameters.spread_thin_allocations,
            alignment=result.alignment.score,
            resources=result.resources.score,
            adaptability=result.adaptability.score,
            people=result.people.score,
            execution_health=result.execution_health,
            parts=parts_of(result),
            drivers=drivers_of(result, task_drivers),
        )
        common = {"snapshot_id": snapshot.pk, "organization_id": organization_id}
        ObjectiveScore.objects.bulk_create(_objective_rows(result, common), batch_size=BATCH_SIZE)
        InitiativeScore.objects.bulk_create(_initiative_rows(result, common), batch_size=BATCH_SIZE)
        TeamScore.objects.bulk_create(_team_rows(result, common), batch_size=BATCH_SIZE)

        unchanged = Q(scores_changed_at__isnull=True)
        if seen_changed_at is not None:
            unchanged |= Q(scores_changed_at__lte=min(started_at, seen_changed_at))
        Organization.objects.filter(unchanged, pk=organization_id).update(scores_stale_since=None)
    return snapshot


def _objective_rows(result: ScoringResult, common: dict[str, Any]) -> list[ObjectiveScore]:
    cascade = result.cascade
    rows = []
    for node_id in cascade.order:
        node = cascade.nodes[node_id]
        alignment = result.alignment.objectives[node_id]
        coverage = result.resources.objectives[node_id]
        progress = result.progress[node_id]
        rows.append(
            ObjectiveScore(
                **common,
                objective_id=node_id,
                parent_objective_id=node.parent_id,
                title=node.title,
                status=node.status,
                live=node_id in cascade.live,
                intended_share=alignment.intended_share,
                actual_share=alignment.actual_share,
                share_gap=alignment.share_gap,
                aligned_effort=alignment.aligned_effort,
                misaligned_effort=alignment.misaligned_effort,
                total_effort=alignment.total_effort,
                active_initiatives=coverage.initiatives,
                demand=coverage.demand,
                covered=coverage.covered,
                coverage=coverage.coverage,
                progress=progress.progress,
                expected_progress=progress.expected,
                progress_status=progress.status.value if progress.status else "",
            )
        )
    return rows


def _initiative_rows(result: ScoringResult, common: dict[str, Any]) -> list[InitiativeScore]:
    nodes = {node.id: node for node in result.inputs.initiatives}
    return [
        InitiativeScore(
            **common,
            initiative_id=item.initiative_id,
            parent_objective_id=nodes[item.initiative_id].objective_id,
            title=nodes[item.initiative_id].title,
            end_date=item.end_date,
            days_left=item.days_left,
            window_days=item.window_days,
            remaining=item.remaining,
            demand=item.demand,
            supply=item.supply,
            coverage=item.coverage,
        )
        for item in result.resources.initiatives.values()
    ]


def _team_rows(result: ScoringResult, common: dict[str, Any]) -> list[TeamScore]:
    nodes = {node.id: node for node in result.inputs.teams}
    return [
        TeamScore(
            **common,
            team_id=team_id,
            parent_team_id=nodes[team_id].parent_id,
            name=nodes[team_id].name,
            score=team.score,
            aligned_effort=team.aligned_effort,
            total_effort=team.total_effort,
        )
        for team_id, team in result.alignment.teams.items()
    ]
