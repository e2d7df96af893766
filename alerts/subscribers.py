"""What the alerts app listens to: each stored snapshot is evaluated, in the recompute job."""

from __future__ import annotations

from alerts.evaluation.evaluate import alerts_evaluate
from execgap.events import Event, EventKind, subscribe
from scoring.models import ScoreSnapshot


def on_snapshot_computed(events: list[Event]) -> None:
    for event in events:
        snapshot = ScoreSnapshot.objects.filter(
            organization_id=event.organization_id, pk=event.data["snapshot_id"]
        ).first()
        if snapshot is not None:  # gone already (its organization deleted): nothing to evaluate
            alerts_evaluate(snapshot=snapshot)


def register() -> None:
    subscribe(on_snapshot_computed, kinds=frozenset({EventKind.SNAPSHOT_COMPUTED}))
