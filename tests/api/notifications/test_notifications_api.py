"""/api/v1/orgs/{org}/notifications/ and notification-preferences/: every member's own, another
user's or another organization's a 404, lists at a fixed query count."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from execgap.models import Role
from notifications.models import Notification, NotificationPreference
from tests.api.resources.support import ROLES, client_for, url

pytestmark = pytest.mark.django_db


def _notify(membership, title: str, *, kind: str = "alert", read: bool = False) -> Notification:
    return Notification.objects.create(
        organization=membership.organization,
        recipient=membership.user,
        kind=kind,
        title=title,
        url_path="/o/acme/",
        event_id=str(uuid.uuid4()),
        read_at=timezone.now() if read else None,
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_lists_and_marks_its_own(org, member_of, role):
    # given a member of any role with one unread notification
    me = member_of(role)
    mine = _notify(me, "Blocker raised")
    client = client_for(me)
    # when they list and mark it read
    listed = client.get(url(org, "notifications/")).json()["results"]
    response = client.patch(url(org, f"notifications/{mine.pk}/"), {"read": True}, format="json")
    # then it is listed as unread, then read
    assert [(row["title"], row["read"]) for row in listed] == [("Blocker raised", False)]
    assert response.status_code == 200
    assert response.json()["read"] is True


def test_the_list_filters_unread_and_kind(org, member_of):
    me = member_of(Role.MEMBER)
    _notify(me, "Unread alert")
    _notify(me, "Read alert", read=True)
    _notify(me, "Answer", kind="feedback_answered")
    client = client_for(me)

    def titles(query):
        return sorted(r["title"] for r in client.get(url(org, f"notifications/?{query}")).json()["results"])

    assert titles("unread=true") == ["Answer", "Unread alert"]
    assert titles("unread=false") == ["Read alert"]
    assert titles("kind=feedback_answered") == ["Answer"]
    assert client.get(url(org, "notifications/?kind=pigeon")).status_code == 400


def test_marking_unread_is_refused_and_changes_nothing(org, member_of):
    me = member_of(Role.MEMBER)
    row = _notify(me, "Read", read=True)
    response = client_for(me).patch(url(org, f"notifications/{row.pk}/"), {"read": False}, format="json")
    assert response.status_code == 400
    assert "read" in response.json()
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_all_read_marks_only_mine(org, member_of):
    me, other = member_of(Role.MEMBER), member_of(Role.MEMBER)
    for n in range(3):
        _notify(me, f"N{n}")
    theirs = _notify(other, "Theirs")
    response = client_for(me).post(url(org, "notifications/mark-all-read/"))
    assert response.json() == {"marked": 3}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_users_and_another_organizations_notifications_are_404(org, other_org, member_of):
    me = member_of(Role.ADMIN)
    theirs = _notify(member_of(Role.MEMBER), "Theirs")
    elsewhere = _notify(member_of(Role.ADMIN, other_org), "Elsewhere")
    client = client_for(me)
    for row in (theirs, elsewhere):
        assert client.get(url(org, f"notifications/{row.pk}/")).status_code == 404
        assert (
            client.patch(url(org, f"notifications/{row.pk}/"), {"read": True}, format="json").status_code
            == 404
        )
    assert client.get(url(other_org, "notifications/")).status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_the_list_has_a_fixed_query_count(org, member_of):
    me = member_of(Role.MEMBER)
    client = client_for(me)
    _notify(me, "One")
    with CaptureQueriesContext(connection) as few:
        client.get(url(org, "notifications/"))
    for n in range(30):
        _notify(me, f"N{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url(org, "notifications/"))
    assert len(many) == len(few)


def test_preferences_list_every_kind_with_the_default_for_the_role(org, member_of):
    executive = member_of(Role.EXECUTIVE)
    rows = client_for(executive).get(url(org, "notification-preferences/")).json()
    assert {row["kind"]: (row["channel"], row["chosen"]) for row in rows} == {
        "alert": ("both", False),
        "feedback_raised": ("both", False),
        "feedback_answered": ("in_app", False),
        "recognition": ("in_app", False),
        "invitation_accepted": ("in_app", False),
        "job_finished": ("in_app", False),
        "weekly_digest": ("email", False),
    }


def test_a_preference_is_changed_one_kind_at_a_time(org, member_of):
    me = member_of(Role.MEMBER)
    client = client_for(me)
    response = client.patch(
        url(org, "notification-preferences/recognition/"), {"channel": "email"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "kind": "recognition",
        "title": "Recognitions you receive",
        "channel": "email",
        "chosen": True,
        "version": 1,
    }
    assert response["ETag"] == '"1"'
    assert list(NotificationPreference.objects.values_list("user_id", "kind", "channel")) == [
        (me.user_id, "recognition", "email")
    ]


def test_a_bad_channel_or_kind_is_refused(org, member_of):
    client = client_for(member_of(Role.MEMBER))
    bad = client.patch(url(org, "notification-preferences/alert/"), {"channel": "pigeon"}, format="json")
    assert bad.status_code == 400
    assert "channel" in bad.json()
    assert (
        client.patch(
            url(org, "notification-preferences/pigeons/"), {"channel": "email"}, format="json"
        ).status_code
        == 404
    )
    assert not NotificationPreference.objects.exists()


def test_preferences_of_another_organization_are_404(org, other_org, member_of):
    client = client_for(member_of(Role.ADMIN))
    assert client.get(url(other_org, "notification-preferences/")).status_code == 404
    assert (
        client.patch(
            url(other_org, "notification-preferences/alert/"), {"channel": "none"}, format="json"
        ).status_code
        == 404
    )


def test_preferences_list_in_a_fixed_query_count(org, member_of):
    me = member_of(Role.MEMBER)
    client = client_for(me)
    with CaptureQueriesContext(connection) as none_chosen:
        client.get(url(org, "notification-preferences/"))
    for kind in ("alert", "recognition", "job_finished"):
        NotificationPreference.objects.create(organization=org, user=me.user, kind=kind, channel="none")
    with CaptureQueriesContext(connection) as some_chosen:
        client.get(url(org, "notification-preferences/"))
    assert len(some_chosen) == len(none_chosen)


def test_a_preference_changed_since_it_was_read_is_refused_with_412(org, member_of):
    # given a member who read their alert channel at version 0 (no choice yet), then chose in another tab
    me = member_of(Role.MEMBER)
    client = client_for(me)
    path = url(org, "notification-preferences/alert/")
    assert (
        client.patch(path, {"channel": "in_app"}, format="json", headers={"If-Match": '"0"'}).status_code
        == 200
    )
    # when the first tab sends its change with the version it read
    stale = client.patch(path, {"channel": "none"}, format="json", headers={"If-Match": '"0"'})
    # then it is refused and the choice made in between stays
    assert stale.status_code == 412
    assert NotificationPreference.objects.get().channel == "in_app"
    # and with the current version it goes through (version 2)
    fresh = client.patch(path, {"channel": "none"}, format="json", headers={"If-Match": '"1"'})
    assert (fresh.status_code, fresh.json()["version"]) == (200, 2)
