"""Events reach their subscribers once the change commits, never for a rolled-back change."""

from collections.abc import Callable, Iterator

import pytest
from django.db import transaction

from execgap import events
from execgap.celery import app as celery_app
from execgap.events import Event, EventKind, publish, subscribe
from execgap.models import Membership, Role
from feedback.services import feedback_create, feedback_resolve, recognition_create
from tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Event]]:
    """The events delivered during the test (only the test's own subscriber listens)."""
    monkeypatch.setattr(events, "_subscribers", [])
    received: list[Event] = []
    subscribe(received.extend)
    return received


def test_given_a_transaction_when_it_commits_then_its_events_are_delivered_once(
    heard: list[Event], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # type: ignore[attr-defined]
        publish(Event(kind=EventKind.PLAN_CHANGED, organization_id=1, data={"n": 1}))
        assert heard == []
    assert [event.data for event in heard] == [{"n": 1}]


def test_given_a_transaction_when_it_rolls_back_then_nothing_is_delivered(
    heard: list[Event], django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            publish(Event(kind=EventKind.PLAN_CHANGED, organization_id=1, data={}))
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # type: ignore[attr-defined]
        change_that_fails()
    assert heard == []


def test_given_a_failing_subscriber_then_the_others_still_hear_and_the_producer_does_not_fail(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    monkeypatch.setattr(events, "_subscribers", [])
    received: list[Event] = []

    def broken(events: list[Event]) -> None:
        raise ValueError("cannot")

    subscribe(broken)
    subscribe(received.extend, kinds=frozenset({EventKind.JOB_FINISHED}))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        publish(Event(kind=EventKind.JOB_FINISHED, organization_id=1, data={}))
        publish(Event(kind=EventKind.PLAN_CHANGED, organization_id=1, data={}))
    assert [event.kind for event in received] == [EventKind.JOB_FINISHED]


def test_given_one_publish_of_many_events_then_each_subscriber_hears_its_kinds_in_one_call(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    # given a subscriber of every kind and one of alerts opened only, each keeping the calls it got
    monkeypatch.setattr(events, "_subscribers", [])
    every: list[list[Event]] = []
    opened: list[list[Event]] = []
    subscribe(every.append)
    subscribe(opened.append, kinds=frozenset({EventKind.ALERT_OPENED}))
    # when three alerts open and one resolves in one publish
    burst = [
        Event(kind=EventKind.ALERT_OPENED, organization_id=1, data={"alert_id": 1}),
        Event(kind=EventKind.ALERT_RESOLVED, organization_id=1, data={"alert_id": 9}),
        Event(kind=EventKind.ALERT_OPENED, organization_id=1, data={"alert_id": 2}),
        Event(kind=EventKind.ALERT_OPENED, organization_id=1, data={"alert_id": 3}),
    ]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        publish(*burst)
        publish()  # nothing published: nobody is called
    # then each subscriber is called once, with its kinds in the order published
    assert every == [burst]
    assert [[event.data["alert_id"] for event in call] for call in opened] == [[1, 2, 3]]


def test_an_event_as_json_carries_id_kind_organization_time_and_data() -> None:
    event = Event(kind=EventKind.ALERT_OPENED, organization_id=7, data={"alert_id": 3})
    as_json = event.as_json()
    assert as_json["id"] == event.id
    assert as_json["kind"] == "alert.opened"
    assert as_json["organization_id"] == 7
    assert as_json["data"] == {"alert_id": 3}
    assert as_json["occurred_at"] == event.occurred_at.isoformat()


@pytest.fixture
def recompute_in_process() -> Iterator[None]:
    """The recompute that a change asks for runs in this process once it commits (Celery eager), with
    or without a broker in the environment, so its snapshot's event is heard here."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


def test_given_a_member_when_they_raise_and_a_lead_answers_then_both_events_name_the_author(
    heard: list[Event],
    recompute_in_process: None,
    member_of: Callable[..., Membership],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    member, lead = member_of(Role.MEMBER), member_of(Role.ADMIN)
    objective = ObjectiveFactory(organization=member.organization)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        item = feedback_create(
            actor=member, data={"kind": "blocker", "text": "No API keys", "objective": objective}
        )
        feedback_resolve(actor=lead, item=item, response="Keys are in the vault")
        recognition_create(actor=lead, data={"to_person": item.author, "message": "Thanks"})
    # (the in-process recompute that the changes ask for tells of its snapshot too)
    raised, answered, recognized = [event for event in heard if event.kind != EventKind.SNAPSHOT_COMPUTED]
    assert any(event.kind == EventKind.SNAPSHOT_COMPUTED for event in heard)
    assert raised.kind == EventKind.FEEDBACK_RAISED
    assert raised.actor_user_id == member.user_id
    assert raised.data["author_person_id"] == item.author_id
    assert raised.data["objective_id"] == objective.pk
    assert answered.kind == EventKind.FEEDBACK_ANSWERED
    assert answered.data["status"] == "resolved"
    assert answered.data["response"] == "Keys are in the vault"
    assert recognized.kind == EventKind.RECOGNITION_GIVEN
    assert recognized.data["to_person_id"] == item.author_id
