"""The one way to compute scores: `scores_recompute` (fetch → calculate → store)."""

from __future__ import annotations

from datetime import UTC, date

from django.utils import timezone

from scoring.engine.alignment import TaskClass
from scoring.engine.calculate import scores_calculate
from scoring.fetch import consistent_read, parameters_fetch, scoring_inputs_fetch
from scoring.fetch_tasks import task_drivers_fetch
from scoring.models import ScoreSnapshot
from scoring.store import snapshot_store


def scores_recompute(*, organization_id: int, as_of: date | None = None) -> ScoreSnapshot:
    """Compute SCORING.md for the organization at D = `as_of` (default: today's UTC date) and store it.

    Reads in one consistent transaction, calculates in memory, stores the snapshot in another
    transaction and then (in that transaction) clears the organization's stale mark unless a
    change landed after this run started. Raises `Organization.DoesNotExist` for an unknown id; a
    failure leaves the previous snapshot as the latest. Not locked: callers that must not compute
    the same organization twice at once hold their own lock.
    """
    started_at = timezone.now()
    as_of = as_of or started_at.astimezone(UTC).date()
    with consistent_read():
        parameters, seen_changed_at = parameters_fetch(organization_id=organization_id, as_of=as_of)
        inputs = scoring_inputs_fetch(organization_id=organization_id, parameters=parameters)
        result = scores_calculate(inputs)
        task_drivers = task_drivers_fetch(
            organization_id=organization_id,
            parameters=parameters,
            objective_ids=frozenset(result.cascade.nodes),
            live_objective_ids=result.cascade.live,
            orphan_count=result.alignment.count[TaskClass.ORPHAN],
            misaligned_count=result.alignment.count[TaskClass.MISALIGNED],
        )
    return snapshot_store(
        organization_id=organization_id,
        result=result,
        task_drivers=task_drivers,
        started_at=started_at,
        seen_changed_at=seen_changed_at,
    )
