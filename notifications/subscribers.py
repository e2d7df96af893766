"""The events that are news for someone: handed to Celery tasks (recipients resolved there), up to
EVENTS_PER_TASK events a task, so that a burst (thousands of alerts opened by one recompute) is a few
hundred messages on the broker, not thousands."""

from __future__ import annotations

from execgap.events import Event
from notifications.recipients import ALERT_KINDS, RESOLVERS

NOTIFYING_KINDS = frozenset(RESOLVERS) | ALERT_KINDS
EVENTS_PER_TASK = 200


def events_enqueue(events: list[Event]) -> None:
    from notifications.tasks import notify_task  # tasks import the services, loaded after the apps

    for start in range(0, len(events), EVENTS_PER_TASK):
        chunk = events[start : start + EVENTS_PER_TASK]
        notify_task.delay(
            [{"event": event.as_json(), "actor_user_id": event.actor_user_id} for event in chunk]
        )
