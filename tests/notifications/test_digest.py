"""The weekly executive digest: the scores and their change over the week, the gaps, the blockers
waiting longest; previewed in the browser, emailed on Monday to executives and admins who want it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alerts.models import AlertState
from execgap.models import Role
from feedback.models import FeedbackKind
from notifications import digest
from notifications.models import Channel, NotificationPreference
from notifications.tasks import weekly_digest_task
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute
from tests.conftest import person_of
from tests.factories import AlertFactory, FeedbackItemFactory
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_weeks_of_scores(org, growth):
    """Snapshots a week apart: resources 70.0 a week ago and 61.5 today, execution health 50.0 then
    and 55.25 now, no people score a week ago."""
    today = timezone.now().date()
    week_ago = scores_recompute(organization_id=org.pk, as_of=today - timedelta(days=7))
    now = scores_recompute(organization_id=org.pk, as_of=today)
    ScoreSnapshot.objects.filter(pk=week_ago.pk).update(resources=70.0, execution_health=50.0, people=None)
    ScoreSnapshot.objects.filter(pk=now.pk).update(resources=61.5, execution_health=55.25, people=80.0)
    return now


def test_the_digest_shows_each_score_with_its_change_over_the_week(org, growth, two_weeks_of_scores):
    # given resources was 70.0 a week ago and is 61.5 now
    # when the digest is built
    built = digest.digest_build(organization=org, as_of=timezone.now())
    # then each score is today's with today minus a week ago as the change
    lines = {line.key: line for line in built.scores}
    assert [line.label for line in built.scores] == [
        "Execution health", "Alignment", "Resources", "Adaptability", "People",
    ]  # fmt: skip
    assert (lines["resources"].value, lines["resources"].change) == (61.5, -8.5)
    assert lines["execution_health"].change == 5.25
    # and a score with no value a week ago has no change
    assert (lines["people"].value, lines["people"].change) == (80.0, None)
    # and the email's bar is the score's share of 100, rounded: 61.5 → 62
    assert lines["resources"].bar_width == 62
    # and the chart of the week is drawn
    assert built.chart is not None


def test_the_blockers_waiting_longest_come_first(org, growth):
    older = FeedbackItemFactory(
        organization=org, kind=FeedbackKind.BLOCKER, text="Older", author=person_of(growth.member)
    )
    newer = FeedbackItemFactory(
        organization=org, kind=FeedbackKind.BLOCKER, text="Newer", author=person_of(growth.member)
    )
    older.created_at = timezone.now() - timedelta(days=9)
    type(older).objects.filter(pk=older.pk).update(created_at=older.created_at)
    built = digest.digest_build(organization=org, as_of=timezone.now())
    assert [item.title for item in built.blockers.items] == ["Older", "Newer"]
    assert newer.pk


def test_the_digest_lists_the_alerts_opened_and_resolved_in_the_week(client, org, growth):
    # given, as of now: an alert opened 2 days ago and still open, one opened 10 days ago and resolved
    # yesterday, one opened and resolved before the week, and one of another organization this week
    now = timezone.now()
    open_now = AlertFactory(organization=org, subject_title="Pricing", opened_at=now - timedelta(days=2))
    cleared = AlertFactory(
        organization=org, subject_title="Checkout", opened_at=now - timedelta(days=10),
        state=AlertState.RESOLVED, resolved_at=now - timedelta(days=1),
    )  # fmt: skip
    AlertFactory(
        organization=org, subject_title="Old", opened_at=now - timedelta(days=20),
        state=AlertState.RESOLVED, resolved_at=now - timedelta(days=9),
    )  # fmt: skip
    AlertFactory(subject_title="Theirs", opened_at=now - timedelta(days=1))
    # when the digest of the week ending now is built
    built = digest.digest_build(organization=org, as_of=now)
    # then the week's openings and resolutions are listed, each once, with their counts
    assert (built.opened, built.opened_total) == ([open_now], 1)
    assert (built.resolved, built.resolved_total) == ([cleared], 1)
    # and the preview links each to its alert's page
    client.force_login(growth.executive.user)
    page = client.get(org_url("digest", org)).content.decode()
    assert f'/o/{org.slug}/alerts/{open_now.pk}/">Pricing</a>' in page
    assert f'/o/{org.slug}/alerts/{cleared.pk}/">Checkout</a>' in page
    assert "Old" not in page
    assert "Theirs" not in page


def test_the_digest_goes_to_executives_and_admins_who_want_it(org, growth, admin, two_weeks_of_scores):
    # given an executive (email by default), an admin who turned the digest off, and a lead
    growth.executive.user.email = "eve@example.com"
    growth.executive.user.save(update_fields=["email"])
    NotificationPreference.objects.create(
        organization=org, user=admin.user, kind="weekly_digest", channel=Channel.NONE
    )
    # when the Monday send runs
    sent = digest.digest_send(organization=org, as_of=timezone.now())
    # then only the executive gets it, as HTML with a plain-text alternative and no SVG
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == ["eve@example.com"]
    assert "Resources" in message.body
    html, _ = message.alternatives[0]
    assert "<svg" not in html
    assert "Blockers waiting longest" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_preview_renders_and_its_queries_do_not_grow_with_blockers(
    client, org, growth, two_weeks_of_scores
):
    # given an executive signed in
    client.force_login(growth.executive.user)
    url = org_url("digest", org)
    client.get(url)  # the first request stores the organization in the session
    FeedbackItemFactory(organization=org, kind=FeedbackKind.BLOCKER, text="One")
    few = query_count(client, url)
    for n in range(12):
        FeedbackItemFactory(organization=org, kind=FeedbackKind.BLOCKER, text=f"Blocker {n}")
    # then the preview answers with as many queries
    assert query_count(client, url) == few
    response = client.get(url)
    assert b"Weekly executive digest" in response.content
    assert b"Blockers waiting longest" in response.content


def test_the_preview_of_an_organization_without_scores_says_so(client, org, growth):
    client.force_login(growth.executive.user)
    response = client.get(org_url("digest", org))
    assert response.status_code == 200
    assert b"No scores have been computed yet." in response.content


def test_another_organizations_digest_is_a_404(client, org, other_org, member_of):
    executive = member_of(Role.EXECUTIVE, other_org)
    client.force_login(executive.user)
    assert client.get(org_url("digest", org)).status_code == 404


def test_the_monday_task_sends_every_organizations_digest(org, other_org, growth, member_of):
    # given an executive with an address in each of two organizations
    growth.executive.user.email = "eve@example.com"
    growth.executive.user.save(update_fields=["email"])
    elsewhere = member_of(Role.ADMIN, other_org)
    elsewhere.user.email = "gus@example.com"
    elsewhere.user.save(update_fields=["email"])
    # when the beat's task runs
    sent = weekly_digest_task()
    # then each gets their own organization's digest
    assert sent == 2
    assert {message.to[0]: message.subject for message in mail.outbox} == {
        "eve@example.com": "[Acme] Your weekly execution digest",
        "gus@example.com": "[Globex] Your weekly execution digest",
    }
