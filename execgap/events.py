"""Events: what happened in an organization, told to whoever listens, once the change is committed.

A producer (a service, a job) calls `publish(Event(...), ...)` inside or outside its transaction; the
subscribers run after the commit (never for a change that rolled back), in the producer's process,
each on its own: a subscriber that fails is logged and the others still run, and the producer never
sees the failure (a blocker raised is raised even when its notification cannot be made). Subscribers
that do real work (emails, outbound requests) enqueue a Celery task rather than do it in place.

The layers run one way (see `execgap.hooks`): the apps that listen (alerts, notifications, webhooks)
subscribe in their `AppConfig.ready`; the producers below never import them.

Every event's `data` is plain JSON (ids, strings, numbers, ISO dates): it is what a webhook receives
under `data`, so each kind's keys are a documented contract (`docs/WEBHOOKS.md`).
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


class EventKind(enum.StrEnum):
    # data: snapshot_id, as_of, execution_health, alignment, resources, adaptability, people
    SNAPSHOT_COMPUTED = "snapshot.computed"
    # data: alert_id, rule_id, rule_kind, rule_name, subject {kind, id, title}, team_id (the subject's,
    # or null), value (at opening), threshold, message, opened_at, resolved_at (null), url (the
    # alert's page path)
    ALERT_OPENED = "alert.opened"
    # data: the same, with resolved_at set and value the value at resolution (null where none applies)
    ALERT_RESOLVED = "alert.resolved"
    # data: feedback_id, kind, text, author_person_id, objective_id, initiative_id
    FEEDBACK_RAISED = "feedback.raised"
    # data: feedback_id, kind, status, response, author_person_id, answered_by_person_id
    FEEDBACK_ANSWERED = "feedback.answered"
    # data: recognition_id, from_person_id, to_person_id, message, objective_id, initiative_id
    RECOGNITION_GIVEN = "recognition.given"
    # data: invitation_id, email, role, user_id, invited_by_user_id
    INVITATION_ACCEPTED = "invitation.accepted"
    # data: job_id, kind, state, created_by_user_id, error
    JOB_FINISHED = "job.finished"
    # data: change_set, changes [{item, id, action}] (at most 100; item: objective, key_result,
    # initiative, task, allocation, team or person; action: created, changed or deleted), more (the
    # changes left out), changed_by_user_id. One per transaction (`execgap.plan_events`).
    PLAN_CHANGED = "plan.changed"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    organization_id: int
    data: dict[str, Any]
    actor_user_id: int | None = None  # who caused it; None for the system (a recompute, a job)
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=timezone.now)

    def as_json(self) -> dict[str, Any]:
        """The event as a webhook delivers it: id, kind, organization, when, data."""
        return {
            "id": self.id,
            "kind": str(self.kind),
            "organization_id": self.organization_id,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.data,
        }


# A subscriber hears the events of one `publish` together (those of its kinds, in order), so that a
# burst (a recompute opening thousands of alerts) costs it one call, not one per event.
Subscriber = Callable[[list[Event]], None]

_subscribers: list[tuple[frozenset[EventKind] | None, Subscriber]] = []


def subscribe(subscriber: Subscriber, *, kinds: frozenset[EventKind] | None = None) -> None:
    """Call `subscriber` with the committed events of `kinds` (all kinds when None). Idempotent."""
    if any(existing is subscriber for _, existing in _subscribers):
        return
    _subscribers.append((kinds, subscriber))


def publish(*events: Event) -> None:
    """Tell the subscribers about `events` once the current transaction commits (at once outside
    one): each subscriber hears them in one call."""
    if events:
        transaction.on_commit(lambda: _deliver(list(events)))


def _deliver(events: list[Event]) -> None:
    for kinds, subscriber in list(_subscribers):
        heard = events if kinds is None else [event for event in events if event.kind in kinds]
        if not heard:
            continue
        try:
            subscriber(heard)
        except Exception:  # one listener's failure never undoes the change nor silences the others
            logger.exception(
                "Event subscriber %r failed on %d event(s), the first %s %s.",
                subscriber, len(heard), heard[0].kind, heard[0].id,
            )  # fmt: skip
