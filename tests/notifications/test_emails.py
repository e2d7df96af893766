"""Notification emails: batched per person and kind, HTML with a plain-text alternative, absolute
links, and an unsubscribe link per kind that needs no sign-in (RFC 8058 one-click too)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from execgap.events import Event, EventKind
from notifications import emails, services
from notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from notifications.tasks import email_batch_send_task, email_sweep_task

pytestmark = pytest.mark.django_db


def _alert_on_team(org, growth, message: str) -> None:
    event = Event(
        kind=EventKind.ALERT_OPENED,
        organization_id=org.pk,
        data={"subject": {"kind": "team", "id": growth.team.pk, "title": "Growth"}, "message": message},
    ).as_json()
    services.notify_events([{"event": event, "actor_user_id": None}])


def test_two_alerts_in_one_window_make_one_email_listing_both(org, growth, settings):
    # given two alerts on Lena's team inside one batch window (the scheduled send waits: the test's
    # transaction never commits, so only the rows are made)
    settings.EXECGAP_BASE_URL = "https://execgap.example.com"
    _alert_on_team(org, growth, "Alignment 40")
    _alert_on_team(org, growth, "Resources 55")
    assert Notification.objects.filter(email_pending=True).count() == 2
    # when the batch is sent
    listed = emails.email_batch_send(
        organization_id=org.pk, user_id=growth.lead.user_id, kind=NotificationKind.ALERT
    )
    # then one email lists both, with a plain-text body and an HTML alternative
    assert listed == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lena@example.com"]
    assert message.subject == "[Acme] 2 new: alerts on what you own or lead"
    assert "Alignment 40" in message.body
    assert "Resources 55" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    # and every link is absolute, to the page the alert is about
    assert f'href="https://execgap.example.com/o/{org.slug}/' in html
    # and it says how to stop these emails, in the body and in the headers
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://execgap.example.com/email/unsubscribe/"
    )
    # and a second send finds nothing left to send
    assert emails.email_batch_send(organization_id=org.pk, user_id=growth.lead.user_id, kind="alert") == 0
    assert not Notification.objects.filter(email_pending=True).exists()


def test_the_first_notification_of_a_window_schedules_the_send_the_others_join_it(
    org, growth, settings, django_capture_on_commit_callbacks, monkeypatch
):
    # given the send is recorded instead of run
    scheduled: list[dict] = []
    monkeypatch.setattr(email_batch_send_task, "apply_async", lambda **kwargs: scheduled.append(kwargs))
    settings.EXECGAP_EMAIL_BATCH_MINUTES = 15
    # when three alerts reach Lena within the window
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            _alert_on_team(org, growth, f"Alert {number}")
    # then one send is scheduled, 15 minutes (900 s) later
    assert [call["countdown"] for call in scheduled] == [900]
    assert scheduled[0]["kwargs"] == {
        "organization_id": org.pk,
        "user_id": growth.lead.user_id,
        "kind": "alert",
    }


def test_the_unsubscribe_link_asks_first_then_stops_that_kinds_email_only(client, org, growth):
    # given the link of Lena's alert emails (she has both channels by default)
    token = emails.unsubscribe_token(organization_id=org.pk, user_id=growth.lead.user_id, kind="alert")
    url = reverse("notification_unsubscribe", kwargs={"token": token})
    # when she opens it, signed out
    response = client.get(url)
    # then she is asked to confirm, and nothing changed yet
    assert response.status_code == 200
    assert b"Stop these emails" in response.content
    assert not NotificationPreference.objects.exists()
    # when she confirms
    response = client.post(url)
    # then her alerts still reach the bell but no longer her email
    assert response.status_code == 200
    preference = NotificationPreference.objects.get()
    assert (preference.user, preference.kind, preference.channel) == (
        growth.lead.user,
        "alert",
        Channel.IN_APP,
    )


def test_a_forged_unsubscribe_link_is_a_404_and_changes_nothing(client, org, growth):
    token = emails.unsubscribe_token(organization_id=org.pk, user_id=growth.lead.user_id, kind="alert")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(reverse("notification_unsubscribe", kwargs={"token": forged}))
    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


def test_one_click_unsubscribe_turns_email_only_into_nothing(client, org, growth):
    # given Omar gets alerts by email only
    NotificationPreference.objects.create(
        organization=org, user=growth.owner.user, kind="alert", channel=Channel.EMAIL
    )
    token = emails.unsubscribe_token(organization_id=org.pk, user_id=growth.owner.user_id, kind="alert")
    # when his mail client posts the one-click unsubscribe (no session, no CSRF token)
    client.post(
        reverse("notification_unsubscribe", kwargs={"token": token}), {"List-Unsubscribe": "One-Click"}
    )
    # then he gets no alert at all
    assert NotificationPreference.objects.get().channel == Channel.NONE


def test_the_sweep_sends_what_waited_longer_than_a_window_only(org, growth):
    # given an alert for Lena that waited 20 minutes (its scheduled send lost) and a fresh one for Omar
    _alert_on_team(org, growth, "Alignment 40")
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    Notification.objects.create(
        organization=org,
        recipient=growth.owner.user,
        kind="alert",
        title="Fresh",
        event_id="fresh",
        email_pending=True,
    )
    # when the sweep runs
    sent = email_sweep_task()
    # then only Lena's waiting alert is emailed
    assert sent == 1
    assert [message.to for message in mail.outbox] == [["lena@example.com"]]
    assert Notification.objects.get(title="Fresh").email_pending
