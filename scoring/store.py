"""Store: one snapshot and its per-node rows, in bulk, in one transaction (never half visible).

The per-node rows (thousands at a large organization) go in as plain tuples through COPY on
PostgreSQL (`execgap.bulk.rows_write`), not as one model instance each.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from execgap.bulk import Row, rows_write
from execgap.events import Event, EventKind, publish
from execgap.models import Organization
from objectives.models import Initiative, Objective
from resources.models import Team
from scoring.engine.calculate import ScoringResult
from scoring.engine.explain import drivers_of, parts_of
from scoring.engine.inputs import InitiativeDrift
from scoring.models import InitiativeScore, ObjectiveScore, ScoreSnapshot, TeamScore
from scoring.nodes_kept import node_marks_of


def snapshot_store(
    *,
    organization_id: int,
    result: ScoringResult,
    task_drivers: dict[str, list[dict[str, Any]]],
    started_at: datetime,
    seen_changed_at: datetime | None,
    nodes_seen: frozenset[int] | None = None,
) -> ScoreSnapshot:
    """Write the snapshot, then clear the stale mark unless a change landed after the read.

    `seen_changed_at` is the organization's `scores_changed_at` as the consistent read saw it: the
    mark is cleared only when no change is newer than both that and `started_at`, so a change that
    lands (or commits) during the run leaves the organization stale and a later run picks it up.

    `nodes_seen` is the organization's node marks as the read saw them (`scoring.nodes_kept`): where
    they are still the same, no node was deleted since, and every row's link names a node that
    exists; otherwise (or unknown: None) the links to nodes deleted since are set to NULL.
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
        common = (snapshot.pk, organization_id)
        rows_write(ObjectiveScore, OBJECTIVE_COLUMNS, _objective_rows(result, common))
        rows_write(InitiativeScore, INITIATIVE_COLUMNS, _initiative_rows(result, common))
        rows_write(TeamScore, TEAM_COLUMNS, _team_rows(result, common))
        if nodes_seen is None or node_marks_of(organization_id=organization_id) != nodes_seen:
            _links_to_deleted_nodes_cleared(snapshot)

        unchanged = Q(scores_changed_at__isnull=True)
        if seen_changed_at is not None:
            unchanged |= Q(scores_changed_at__lte=min(started_at, seen_changed_at))
        Organization.objects.filter(unchanged, pk=organization_id).update(scores_stale_since=None)
        publish(
            Event(
                kind=EventKind.SNAPSHOT_COMPUTED,
                organization_id=organization_id,
                data={
                    "snapshot_id": snapshot.pk,
                    "as_of": snapshot.as_of.isoformat(),
                    **{name: getattr(snapshot, name) for name in SCORE_FIELDS},
                },
            )
        )
    return snapshot


def _links_to_deleted_nodes_cleared(snapshot: ScoreSnapshot) -> None:
    """Set to NULL the snapshot's links to nodes deleted since the read (what their deletion did to
    the rows stored before it): the links are not constraints (`scoring.models.snapshots.NodeScore`)."""
    for model, link, nodes in (
        (ObjectiveScore, "objective", Objective.objects),
        (InitiativeScore, "initiative", Initiative.objects),
        (TeamScore, "team", Team.objects),
    ):
        gone = ~Exists(nodes.filter(pk=OuterRef(f"{link}_id")))
        model.objects.filter(gone, snapshot=snapshot, **{f"{link}__isnull": False}).update(**{link: None})


SCORE_FIELDS = ("execution_health", "alignment", "resources", "adaptability", "people")


COMMON_COLUMNS = ("snapshot_id", "organization_id")
OBJECTIVE_COLUMNS = (
    *COMMON_COLUMNS,
    *("objective_id", "parent_objective_id", "title", "status", "live", "intended_share", "actual_share"),
    *("share_gap", "aligned_effort", "misaligned_effort", "total_effort", "active_initiatives", "demand"),
    *("covered", "coverage", "progress", "expected_progress", "progress_status", "over_invested"),
)
INITIATIVE_COLUMNS = (
    *COMMON_COLUMNS,
    *("initiative_id", "parent_objective_id", "title", "end_date", "days_left", "window_days", "remaining"),
    *("demand", "supply", "coverage", "surplus", "over_staffed", "throughput", "forecast_finish"),
    *("forecast_late", "drift_unallocated_people", "unplanned_effort", "drift_idle_people"),
    *("drift_idle_allocations", "drift_idle_hours"),
)
TEAM_COLUMNS = (
    *COMMON_COLUMNS,
    *("team_id", "parent_team_id", "name", "score", "aligned_effort", "total_effort", "misaligned_effort"),
    *("orphan_effort", "misaligned_tasks", "orphan_tasks"),
)


def _objective_rows(result: ScoringResult, common: Row) -> Iterator[Row]:
    cascade = result.cascade
    over_invested = frozenset(result.signals.over_invested)
    for node_id in cascade.order:
        node = cascade.nodes[node_id]
        alignment = result.alignment.objectives[node_id]
        coverage = result.resources.objectives[node_id]
        progress = result.progress[node_id]
        yield (
            *common,
            *(node_id, node.parent_id, node.title, node.status, node_id in cascade.live),
            *(alignment.intended_share, alignment.actual_share, alignment.share_gap),
            *(alignment.aligned_effort, alignment.misaligned_effort, alignment.total_effort),
            *(coverage.initiatives, coverage.demand, coverage.covered, coverage.coverage),
            *(progress.progress, progress.expected, progress.status.value if progress.status else ""),
            node_id in over_invested,
        )


def _initiative_rows(result: ScoringResult, common: Row) -> Iterator[Row]:
    nodes = {node.id: node for node in result.inputs.initiatives}
    signals = result.signals
    over_staffed = frozenset(signals.over_staffed)
    for item in result.resources.initiatives.values():
        node, forecast = nodes[item.initiative_id], signals.forecasts[item.initiative_id]
        drift = signals.drift.get(item.initiative_id) or InitiativeDrift(item.initiative_id)
        yield (
            *common,
            *(item.initiative_id, node.objective_id, node.title, item.end_date, item.days_left),
            *(item.window_days, item.remaining, item.demand, item.supply, item.coverage),
            *(signals.surplus[item.initiative_id], item.initiative_id in over_staffed, forecast.throughput),
            *(forecast.finish, forecast.late, drift.unallocated_people, drift.unplanned_effort),
            *(drift.idle_people, drift.idle_allocations, drift.idle_hours),
        )


def _team_rows(result: ScoringResult, common: Row) -> Iterator[Row]:
    nodes = {node.id: node for node in result.inputs.teams}
    for team_id, team in result.alignment.teams.items():
        node = nodes[team_id]
        yield (
            *common,
            team_id,
            node.parent_id,
            node.name,
            team.score,
            team.aligned_effort,
            team.total_effort,
            team.misaligned_effort,
            team.orphan_effort,
            team.misaligned_tasks,
            team.orphan_tasks,
        )
