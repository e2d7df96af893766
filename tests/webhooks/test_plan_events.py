"""`plan.changed`: one event per transaction that changes the plan, its changes listed (at most 100)."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from execgap import events
from execgap.events import Event, EventKind
from execgap.models import Membership
from resources.services import team_create, team_delete, team_update
from tests.webhooks.helpers import endpoint_for
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[Event]:
    """The plan.changed events published from now on (the app's own listeners are left out)."""
    seen: list[Event] = []
    monkeypatch.setattr(events, "_subscribers", [(frozenset({EventKind.PLAN_CHANGED}), seen.extend)])
    return seen


def test_one_transaction_is_one_event_listing_each_change(admin: Membership, receiver: Receiver) -> None:
    # given an endpoint for plan changes
    endpoint_for(admin, receiver.url, kinds=["plan.changed"])

    # when an admin creates two teams, renames one and deletes the other, in one transaction
    with transaction.atomic():
        data = team_create(actor=admin, data={"name": "Data"})
        ops = team_create(actor=admin, data={"name": "Ops"})
        team_update(actor=admin, team=data, data={"name": "Data platform"})
        ops_id = ops.pk
        team_delete(actor=admin, team=ops)

    # then one request tells of the four changes, by whom
    assert len(receiver.received) == 1
    body = json.loads(receiver.received[0].body)
    assert body["kind"] == "plan.changed"
    assert body["data"]["changes"] == [
        {"item": "team", "id": data.pk, "action": "created"},
        {"item": "team", "id": ops_id, "action": "created"},
        {"item": "team", "id": data.pk, "action": "changed"},
        {"item": "team", "id": ops_id, "action": "deleted"},
    ]
    assert (body["data"]["more"], body["data"]["changed_by_user_id"]) == (0, admin.user_id)
    assert len(body["data"]["change_set"]) == 36


def test_a_change_rolled_back_tells_nothing(admin: Membership, published: list[Event]) -> None:
    # when a transaction creates a team, then fails
    def create_then_fail() -> None:
        with transaction.atomic():
            team_create(actor=admin, data={"name": "Data"})
            raise RuntimeError

    with pytest.raises(RuntimeError):
        create_then_fail()

    # then no event was published
    assert published == []


def test_the_list_stops_at_100_and_counts_the_rest(admin: Membership, published: list[Event]) -> None:
    # when one transaction creates 103 teams
    with transaction.atomic():
        for n in range(103):
            team_create(actor=admin, data={"name": f"Team {n}"})

    # then one event lists the first 100 and counts 3 more
    (event,) = published
    assert event.kind == EventKind.PLAN_CHANGED
    assert len(event.data["changes"]) == 100
    assert event.data["more"] == 3


def test_each_transaction_outside_another_is_its_own_event(admin: Membership, published: list[Event]) -> None:
    # when two teams are created one after the other, each in its own transaction
    first = team_create(actor=admin, data={"name": "Data"})
    second = team_create(actor=admin, data={"name": "Ops"})

    # then two events, one change each
    assert [e.data["changes"] for e in published] == [
        [{"item": "team", "id": first.pk, "action": "created"}],
        [{"item": "team", "id": second.pk, "action": "created"}],
    ]
