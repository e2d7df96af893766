"""Deliveries to a real HTTP receiver: signed as documented, retried on the schedule, never redirected."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from execgap.events import Event, EventKind, publish
from execgap.models import Membership, Role
from tests.webhooks.helpers import documented_verify, endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks import subscribers
from webhooks.delivery.attempt import BACKOFF_SECONDS, delivery_attempt, due_deliveries
from webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from webhooks.services import delivery_redeliver, webhook_rotate_secret, webhook_send_test
from webhooks.tasks import send_due_deliveries_task

pytestmark = pytest.mark.django_db(transaction=True)


def _feedback_raised(admin: Membership) -> Event:
    return Event(
        kind=EventKind.FEEDBACK_RAISED,
        organization_id=admin.organization_id,
        data={"feedback_id": 5, "kind": "blocker", "text": "No designer", "author_person_id": 1,
              "objective_id": None, "initiative_id": None},
    )  # fmt: skip


def _raise_feedback(admin: Membership) -> None:
    publish(_feedback_raised(admin))


def test_an_event_reaches_the_endpoints_that_want_it_signed_as_documented(
    admin: Membership, receiver: Receiver
) -> None:
    # given an endpoint for feedback.raised and one for snapshots only
    endpoint = endpoint_for(admin, receiver.url)
    endpoint_for(admin, receiver.url, kinds=["snapshot.computed"])

    # when a blocker is raised
    _raise_feedback(admin)

    # then one request arrives, with the documented headers and body, and verifies with the secret
    assert len(receiver.received) == 1
    request = receiver.received[0]
    body = json.loads(request.body)
    assert body["kind"] == "feedback.raised"
    assert body["organization"] == {"id": admin.organization_id, "slug": "acme"}
    assert body["data"]["text"] == "No designer"
    assert set(body) == {"id", "kind", "organization", "occurred_at", "data"}
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "ExecGap-Webhooks/1"
    assert request.headers["X-ExecGap-Event"] == "feedback.raised"
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert request.headers["X-ExecGap-Delivery"] == str(delivery.pk)
    verify = documented_verify()
    assert verify(endpoint.secret, request.headers["X-ExecGap-Signature"], request.body)
    # and a changed body, another secret or an old timestamp (a replay) is rejected
    assert not verify(endpoint.secret, request.headers["X-ExecGap-Signature"], request.body + b" ")
    assert not verify("whsec_other", request.headers["X-ExecGap-Signature"], request.body)
    assert not verify(
        endpoint.secret, request.headers["X-ExecGap-Signature"], request.body, time.time() + 301
    )
    # and the log has the answer
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.response_excerpt == "answer ok"
    assert delivery.latency_ms is not None


def test_no_endpoint_wants_the_event_so_nothing_is_queued(admin: Membership, receiver: Receiver) -> None:
    # given a disabled feedback endpoint and an enabled snapshot one
    endpoint = endpoint_for(admin, receiver.url)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(enabled=False)
    endpoint_for(admin, receiver.url, kinds=["snapshot.computed"])

    # when a blocker is raised
    _raise_feedback(admin)

    # then nothing is recorded nor sent
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_an_event_no_endpoint_wants_costs_one_query(
    admin: Membership, receiver: Receiver, django_assert_num_queries: Any
) -> None:
    # given 3 endpoints, none for feedback.raised
    for kind in ("alert.opened", "snapshot.computed", "plan.changed"):
        endpoint_for(admin, receiver.url, kinds=[kind])

    # when the webhooks hear that a blocker was raised
    with django_assert_num_queries(1):
        subscribers.on_event([_feedback_raised(admin)])

    # then nothing was written
    assert WebhookDelivery.objects.count() == 0


def test_slack_format_sends_text_and_blocks(admin: Membership, receiver: Receiver) -> None:
    # given a Slack-compatible endpoint
    endpoint_for(admin, receiver.url, fmt="slack")

    # when a blocker is raised
    _raise_feedback(admin)

    # then the body is a Slack message with the summary and a link to the organization
    body = json.loads(receiver.received[0].body)
    assert body["text"] == "[acme] Feedback raised (blocker): No designer"
    assert body["blocks"][0]["type"] == "section"
    assert "<http://127.0.0.1:8000/o/acme/|Open ExecGap>" in body["blocks"][0]["text"]["text"]


def test_retries_back_off_on_the_schedule_and_stop_after_the_last(
    admin: Membership, receiver: Receiver
) -> None:
    # given a receiver that always answers 500
    receiver.default = "error"
    endpoint = endpoint_for(admin, receiver.url)
    _raise_feedback(admin)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)

    # when each retry is attempted when due (1 min, 5 min, 25 min, 2 h, 12 h after the previous)
    for _ in BACKOFF_SECONDS:
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.RETRYING
        due = delivery.next_attempt_at
        assert due is not None
        assert delivery_attempt(delivery_id=delivery.pk, now=due - timedelta(seconds=1)) is None  # not yet
        attempted = delivery_attempt(delivery_id=delivery.pk, now=due)
        assert attempted is not None
        delivery = attempted

    # then six attempts were made, and the last one failed for good
    assert len(receiver.received) == 6
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 6, 500)
    assert delivery.next_attempt_at is None
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures == 1


def test_the_schedule_is_one_five_and_twenty_five_minutes_then_two_and_twelve_hours(
    admin: Membership, receiver: Receiver
) -> None:
    # given a failing receiver and a delivery attempted at fixed times
    receiver.default = "error"
    endpoint = endpoint_for(admin, receiver.url)
    _raise_feedback(admin)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    gaps = []
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state="pending", attempts=0, next_attempt_at=now)

    # when each attempt happens exactly when due
    for _ in range(6):
        attempted = delivery_attempt(delivery_id=delivery.pk, now=now)
        assert attempted is not None
        if attempted.next_attempt_at is not None:
            gaps.append((attempted.next_attempt_at - now).total_seconds())
            now = attempted.next_attempt_at

    # then the waits were 60 s, 300 s, 1500 s, 7200 s, 43200 s
    assert gaps == [60, 300, 1500, 7200, 43200]


def test_a_client_error_fails_at_once_and_a_redirect_is_not_followed(
    admin: Membership, receiver: Receiver
) -> None:
    # given a receiver answering a redirect (to a metadata address), then 410
    receiver.answers = ["redirect", "gone"]
    endpoint = endpoint_for(admin, receiver.url)

    # when a blocker is raised, and the retry is due
    _raise_feedback(admin)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    # then the redirect was an attempt to retry, and only the receiver was asked
    assert (delivery.state, delivery.last_status_code) == ("retrying", 302)
    assert "never follow" in delivery.error
    assert delivery.next_attempt_at is not None
    retried = delivery_attempt(delivery_id=delivery.pk, now=delivery.next_attempt_at)
    assert retried is not None
    assert (retried.state, retried.last_status_code, retried.next_attempt_at) == ("failed", 410, None)
    assert [r.path for r in receiver.received] == ["/hook", "/hook"]


def test_a_hanging_receiver_times_out_and_is_retried(admin: Membership, receiver: Receiver) -> None:
    # given a receiver that answers after 2 s, with a 0.5 s read timeout
    receiver.answers = ["hang"]
    endpoint = endpoint_for(admin, receiver.url)

    # when a blocker is raised
    started = time.monotonic()
    _raise_feedback(admin)

    # then the attempt gave up within about the timeout and will be retried in a minute
    assert time.monotonic() - started < 1.9
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.state, delivery.last_status_code) == ("retrying", None)
    assert delivery.error == "The receiver did not answer in time."


def test_redelivery_sends_the_same_event_again_now(admin: Membership, receiver: Receiver) -> None:
    # given a delivery that failed for good (410)
    receiver.answers = ["gone"]
    endpoint = endpoint_for(admin, receiver.url)
    _raise_feedback(admin)
    failed = WebhookDelivery.objects.get(endpoint=endpoint)
    assert failed.state == "failed"

    # when an admin redelivers it
    again = delivery_redeliver(actor=admin, delivery=failed)

    # then a new delivery of the same event succeeded at once, with the same body
    again.refresh_from_db()
    assert (again.state, again.event_id, again.attempts) == ("succeeded", failed.event_id, 1)
    assert receiver.received[1].body == receiver.received[0].body
    assert receiver.received[1].headers["X-ExecGap-Delivery"] == str(again.pk)


def test_failing_deliveries_in_a_row_disable_the_endpoint_and_tell_the_admins(
    admin: Membership, member_of: Any, receiver: Receiver, settings: Any
) -> None:
    # given a limit of 3 failures, a second admin and an executive, and a receiver answering 410
    settings.EXECGAP_WEBHOOK_FAILURES_TO_DISABLE = 3
    second_admin = member_of(Role.ADMIN)
    executive = member_of(Role.EXECUTIVE)
    receiver.default = "gone"
    endpoint = endpoint_for(admin, receiver.url)

    # when two deliveries fail, one succeeds, then three fail
    _raise_feedback(admin)
    _raise_feedback(admin)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures == 2
    receiver.answers = ["ok"]
    _raise_feedback(admin)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).consecutive_failures == 0
    _raise_feedback(admin)
    _raise_feedback(admin)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).enabled
    assert mail.outbox == []
    _raise_feedback(admin)

    # then the endpoint is disabled after the third failure in a row, and both admins (only) got an email
    endpoint.refresh_from_db()
    assert (endpoint.enabled, endpoint.consecutive_failures) == (False, 3)
    assert endpoint.disabled_reason == "3 deliveries in a row failed."
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([admin.user.email, second_admin.user.email])
    assert executive.user.email not in mail.outbox[0].to
    assert f"/o/acme/settings/webhooks/{endpoint.pk}/" in mail.outbox[0].body
    # and a further event is not sent to it
    _raise_feedback(admin)
    assert len(receiver.received) == 6


def test_a_test_event_is_sent_whatever_the_endpoint_subscribes_to(
    admin: Membership, receiver: Receiver
) -> None:
    # given an endpoint subscribed to nothing
    endpoint = endpoint_for(admin, receiver.url, kinds=[])

    # when an admin sends a test event
    delivery = webhook_send_test(actor=admin, endpoint=endpoint)

    # then it arrives, of kind webhook.test
    assert json.loads(receiver.received[0].body)["kind"] == "webhook.test"
    assert receiver.received[0].headers["X-ExecGap-Event"] == "webhook.test"
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == "succeeded"


def test_a_rotated_secret_signs_beside_the_new_one_for_a_day(admin: Membership, receiver: Receiver) -> None:
    # given an endpoint whose secret was rotated
    endpoint = endpoint_for(admin, receiver.url)
    old_secret = endpoint.secret
    rotated = webhook_rotate_secret(actor=admin, endpoint=endpoint)
    assert rotated.secret != old_secret

    # when an event is sent during the overlap
    _raise_feedback(admin)

    # then the request carries two signatures and verifies with either secret
    verify = documented_verify()
    first = receiver.received[0]
    assert first.headers["X-ExecGap-Signature"].count("v1=") == 2
    assert verify(old_secret, first.headers["X-ExecGap-Signature"], first.body)
    assert verify(rotated.secret, first.headers["X-ExecGap-Signature"], first.body)

    # when the overlap is over (24 h later)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_expires_at=timezone.now())
    _raise_feedback(admin)

    # then only the new secret signs
    second = receiver.received[1]
    assert second.headers["X-ExecGap-Signature"].count("v1=") == 1
    assert not verify(old_secret, second.headers["X-ExecGap-Signature"], second.body)
    assert verify(rotated.secret, second.headers["X-ExecGap-Signature"], second.body)


def test_due_retries_are_found_for_enabled_endpoints_only(admin: Membership, receiver: Receiver) -> None:
    # given a retrying delivery due now, one due in a minute, and a due one of a disabled endpoint
    receiver.default = "error"
    endpoint = endpoint_for(admin, receiver.url)
    off = endpoint_for(admin, receiver.url)
    _raise_feedback(admin)
    now = timezone.now()
    _raise_feedback(admin)
    due, later = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id")
    WebhookDelivery.objects.filter(pk=due.pk).update(next_attempt_at=now)
    WebhookDelivery.objects.filter(pk=later.pk).update(next_attempt_at=now + timedelta(minutes=1))
    WebhookEndpoint.objects.filter(pk=off.pk).update(enabled=False)
    WebhookDelivery.objects.filter(endpoint=off).update(next_attempt_at=now)

    # then only the enabled endpoint's due delivery is found
    assert due_deliveries(now) == [due.pk]


def test_the_sweep_sends_the_retries_that_are_due(admin: Membership, receiver: Receiver) -> None:
    # given a delivery that failed once (500), its retry a minute away
    receiver.answers = ["error"]
    endpoint = endpoint_for(admin, receiver.url)
    _raise_feedback(admin)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.state == DeliveryState.RETRYING

    # when the sweep runs before the retry is due, then once it is
    send_due_deliveries_task.delay()
    assert len(receiver.received) == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    send_due_deliveries_task.delay()

    # then the second attempt was made then, and succeeded
    delivery.refresh_from_db()
    assert len(receiver.received) == 2
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("succeeded", 2, 200)
