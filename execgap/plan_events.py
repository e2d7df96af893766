"""One `plan.changed` event per transaction that changes the plan, whatever the number of rows.

`execgap.services` calls `plan_change_record` for each plan row it creates, changes or deletes; the
changes of one transaction gather in one collector, registered once per organization with
`transaction.on_commit`, which publishes them as one event after the commit (nothing for a change
that rolled back). The event lists at most `MAX_CHANGES` changes and counts the rest in `more`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from execgap.events import Event, EventKind, publish
from execgap.roles import Resource

MAX_CHANGES = 100

# The rows of the plan, by the name a `plan.changed` event gives them.
PLAN_ITEMS = {
    Resource.OBJECTIVE: "objective",
    Resource.KEY_RESULT: "key_result",
    Resource.INITIATIVE: "initiative",
    Resource.TASK: "task",
    Resource.ALLOCATION: "allocation",
    Resource.TEAM: "team",
    Resource.PERSON: "person",
}


@dataclass(eq=False)
class _PlanChanges:
    """The plan changes of one organization in the open transaction; called once it commits."""

    organization_id: int
    change_set: uuid.UUID
    changed_by_user_id: int | None
    changes: list[dict[str, Any]] = field(default_factory=list)
    seen: set[tuple[str, int, str]] = field(default_factory=set)
    more: int = 0

    def add(self, item: str, row_id: int, action: str) -> None:
        if (item, row_id, action) in self.seen:
            return
        self.seen.add((item, row_id, action))
        if len(self.changes) < MAX_CHANGES:
            self.changes.append({"item": item, "id": row_id, "action": action})
        else:
            self.more += 1

    def __call__(self) -> None:
        publish(
            Event(
                kind=EventKind.PLAN_CHANGED,
                organization_id=self.organization_id,
                actor_user_id=self.changed_by_user_id,
                data={
                    "change_set": str(self.change_set),
                    "changes": self.changes,
                    "more": self.more,
                    "changed_by_user_id": self.changed_by_user_id,
                },
            )
        )


def plan_change_record(
    *, organization_id: int, resource: Resource, row_id: int, action: str, change_set: uuid.UUID,
    user_id: int | None,
) -> None:  # fmt: skip
    """Note that a plan row was `created`, `changed` or `deleted` in the open transaction (rows that
    are not part of the plan are ignored). Call inside the writing transaction."""
    item = PLAN_ITEMS.get(resource)
    if item is None:
        return
    pending = transaction.get_connection().run_on_commit
    collector = next(
        (
            callback
            for _, callback, _ in pending
            if isinstance(callback, _PlanChanges) and callback.organization_id == organization_id
        ),
        None,
    )
    if collector is None:
        collector = _PlanChanges(organization_id, change_set, user_id)
        transaction.on_commit(collector)
    collector.add(item, row_id, action)
