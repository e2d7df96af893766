"""The one way to compute scores: `scores_recompute` (fetch → calculate → store)."""

from __future__ import annotations

from datetime import UTC, date

from django.utils import timezone

from execgap.models import Organization
from objectives.tallies import tallies_window_ensure
from scoring.collector import cycle_collector_paused
from scoring.drift_kept import drift_counts_refresh
from scoring.engine.alignment import TaskClass
from scoring.engine.calculate import scores_calculate
from scoring.engine.explain import drift_driver_ids, drift_listed
from scoring.fetch import consistent_read, parameters_at, parameters_fetch, scoring_inputs_fetch
from scoring.fetch_drift import drift_lists_fetch
from scoring.fetch_tasks import task_drivers_fetch
from scoring.models import ScoreSnapshot
from scoring.nodes_kept import node_marks_fold, node_marks_of
from scoring.staffing_kept import staffing_kept_refresh
from scoring.store import snapshot_store
from scoring.task_sums_kept import task_sums_kept_refresh


@cycle_collector_paused()  # the engine allocates rows by the hundred thousand
def scores_recompute(*, organization_id: int, as_of: date | None = None) -> ScoreSnapshot:
    """Compute SCORING.md for the organization at D = `as_of` (default: today's UTC date) and store it.

    Rolls the organization's tally window to D's activity window where it is elsewhere and brings
    the kept staffing drift, staffing and task sums up to date (`scoring.drift_kept`,
    `scoring.staffing_kept`, `scoring.task_sums_kept`);
    then reads
    in one consistent transaction, calculates in memory, stores the snapshot in another
    transaction and then (in that transaction) clears the organization's stale mark unless a
    change landed after this run started. Raises `Organization.DoesNotExist` for an unknown id; a
    failure leaves the previous snapshot as the latest. Not locked: callers that must not compute
    the same organization twice at once hold their own lock.
    """
    started_at = timezone.now()
    as_of = as_of or started_at.astimezone(UTC).date()
    current = parameters_at(organization=Organization.objects.get(pk=organization_id), as_of=as_of)
    # The tallies' `recent` rows sum the activity window at D (once a day, and after a change of W,
    # this recounts them from the day rows first); the kept staffing drift is recounted where writes
    # marked it (whole once a day, and after a change of W, H or E), the kept staffing after any
    # write that marked it (and once a day, and after a change of H or K), the kept task sums of the
    # links whose tallies a write changed (whole once a day, and after a change of W); the marks of
    # the plan's nodes and check-ins are folded into one each (`scoring.nodes_kept`).
    tallies_window_ensure(
        organization_id=organization_id, first_day=current.activity_start, last_day=current.as_of
    )
    drift_counts_refresh(organization_id=organization_id, parameters=current)
    node_marks_fold(organization_id=organization_id)
    staffing_kept_refresh(organization_id=organization_id, parameters=current)
    task_sums_kept_refresh(organization_id=organization_id, parameters=current)
    with consistent_read():
        parameters, seen_changed_at = parameters_fetch(organization_id=organization_id, as_of=as_of)
        nodes_seen = node_marks_of(organization_id=organization_id)
        inputs = scoring_inputs_fetch(organization_id=organization_id, parameters=parameters)
        result = scores_calculate(inputs)
        if inputs.drift is not None:  # counted in the database: the drivers' people are listed
            result = drift_listed(
                result,
                drift_lists_fetch(
                    organization_id=organization_id,
                    parameters=parameters,
                    initiative_ids=drift_driver_ids(result),
                ),
            )
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
        nodes_seen=nodes_seen,
    )
