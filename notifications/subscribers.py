"""The events that are news for someone: each is handed to a Celery task (recipients resolved there)."""

from __future__ import annotations

from execgap.events import Event
from notifications.recipients import RESOLVERS

NOTIFYING_KINDS = frozenset(RESOLVERS)


def event_enqueue(event: Event) -> None:
    from notifications.tasks import notify_task  # tasks import the services, loaded after the apps

    notify_task.delay(event.as_json(), event.actor_user_id)
