"""What the alerts app listens to: each stored snapshot is evaluated in a job of its own, so that the
recompute (and the next one a burst of changes asks for) never waits on the alerts it opens."""

from __future__ import annotations

import logging

from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from execgap.events import Event, EventKind, subscribe

logger = logging.getLogger(__name__)


def on_snapshot_computed(events: list[Event]) -> None:
    from alerts.tasks import alerts_evaluate_task  # tasks import the evaluation, loaded after the apps

    # Only an organization's latest snapshot is evaluated: the last event of each is enough.
    latest = {event.organization_id: event.data["snapshot_id"] for event in events}
    for organization_id, snapshot_id in latest.items():
        try:
            alerts_evaluate_task.delay(organization_id, snapshot_id)
        except (KombuOperationalError, RedisError, OSError):
            # The snapshot stays: the organization's next one is evaluated against every open alert.
            logger.warning("Could not send the alerts of snapshot %s to a worker.", snapshot_id)


def register() -> None:
    subscribe(on_snapshot_computed, kinds=frozenset({EventKind.SNAPSHOT_COMPUTED}))
