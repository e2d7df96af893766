"""The demo's score history: one snapshot per day over the last weeks, computed by the real engine.

The demo's work is dated (tasks finished over the last six weeks, check-ins and feedback over the
last months), and the engine reads each day's data as of that day (SCORING.md's windows end at D),
so the trend the health page draws is the one the data gives, not a made-up curve.
"""

from __future__ import annotations

from datetime import date, timedelta

from alerts.evaluation.evaluate import alerts_evaluate
from execgap.models import Organization
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute

HISTORY_DAYS = 35  # five weeks of daily snapshots, today's included


def history_create(
    *, organization: Organization, today: date, days: int = HISTORY_DAYS
) -> list[ScoreSnapshot]:
    """Compute a snapshot for each of the `days` days up to `today`, the oldest first (so that
    today's is the latest computed, the one the pages show), and evaluate the alert rules on each as
    it comes (a recompute evaluates only the latest once committed): the alerts' history is the one
    those days give, some opened and resolved on the way, some still open."""
    snapshots = []
    for offset in range(days - 1, -1, -1):
        snapshot = scores_recompute(organization_id=organization.pk, as_of=today - timedelta(days=offset))
        alerts_evaluate(snapshot=snapshot)
        snapshots.append(snapshot)
    return snapshots
