"""Celery tasks of alerts: a stored snapshot evaluated in a job of its own, after the recompute."""

from __future__ import annotations

from celery import shared_task

from alerts.evaluation.evaluate import alerts_evaluate
from scoring.models import ScoreSnapshot


@shared_task(acks_late=True, ignore_result=True)
def alerts_evaluate_task(organization_id: int, snapshot_id: int) -> int:
    """Open and resolve the organization's alerts on one stored snapshot; returns how many changed.

    Idempotent: a snapshot no longer the latest, or gone with its organization, changes nothing, and
    an alert already open is never opened again (the evaluation compares with the open alerts).
    """
    snapshot = ScoreSnapshot.objects.filter(organization_id=organization_id, pk=snapshot_id).first()
    if snapshot is None:
        return 0
    opened, resolved = alerts_evaluate(snapshot=snapshot)
    return len(opened) + len(resolved)
