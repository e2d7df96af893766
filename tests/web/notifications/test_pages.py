"""The inbox, the bell, the preferences and the digest preview: each person sees their own, in
their organization only; the pages are paged and their queries do not grow with the rows."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db


def _notify(
    membership, title: str, *, kind: str = NotificationKind.ALERT, read: bool = False, **more
) -> Notification:
    return Notification.objects.create(
        organization=membership.organization,
        recipient=membership.user,
        kind=kind,
        title=title,
        event_id=str(uuid.uuid4()),
        read_at=timezone.now() if read else None,
        **{"url_path": f"/o/{membership.organization.slug}/", **more},
    )


def test_the_inbox_lists_unread_first_then_the_newest(client, org, signed_in):
    # given Mia's notifications: an old unread, a newer read and the newest unread
    mia = signed_in(Role.MEMBER)
    old = _notify(mia, "Old unread")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    _notify(mia, "Newer read", read=True)
    _notify(mia, "Newest unread")
    # when she opens her inbox
    response = client.get(org_url("notifications", org))
    # then the unread come first (newest first), the read after
    titles = [row.title for row in response.context["page"].rows]
    assert titles == ["Newest unread", "Old unread", "Newer read"]
    assert response.context["unread"] == 2


def test_the_inbox_filters_by_state_kind_and_words(client, org, signed_in):
    mia = signed_in(Role.MEMBER)
    _notify(mia, "Alert on Growth")
    _notify(mia, "Answer from Lena", kind=NotificationKind.FEEDBACK_ANSWERED)
    _notify(mia, "Read alert", read=True)

    def page(**query: str) -> list[str]:
        return [r.title for r in client.get(org_url("notifications", org), query).context["page"].rows]

    assert page(state="read") == ["Read alert"]
    assert page(kind="feedback_answered") == ["Answer from Lena"]
    assert page(q="growth") == ["Alert on Growth"]


def test_someone_elses_and_another_organizations_notifications_are_unreachable(
    client, org, other_org, signed_in, member_of
):
    # given a notification of another member and one of Mia in another organization
    mia = signed_in(Role.MEMBER)
    theirs = _notify(member_of(Role.LEAD), "Not yours")
    mia_elsewhere = member_of(Role.ADMIN, other_org)
    mia_elsewhere.user = mia.user
    elsewhere = _notify(mia_elsewhere, "In Globex")
    # then neither is listed, opened nor marked read by her here
    assert client.get(org_url("notifications", org)).context["page"].rows == []
    for row in (theirs, elsewhere):
        assert client.get(org_url("notifications", org), {"open": row.pk}).status_code == 404
        assert client.post(org_url("notification_read", org), {"id": row.pk}).status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, org, signed_in):
    mia = signed_in(Role.MEMBER)
    row = _notify(mia, "Blocker raised", url_path=f"/o/{org.slug}/feedback/7/")
    response = client.get(org_url("notifications", org), {"open": row.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/o/{org.slug}/feedback/7/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_one_and_mark_all_read(client, org, signed_in, member_of):
    mia = signed_in(Role.MEMBER)
    first, *_ = (_notify(mia, f"N{n}") for n in range(3))
    other = _notify(member_of(Role.MEMBER), "Someone else's")
    # when Mia marks the first read
    assert client.post(org_url("notification_read", org), {"id": first.pk}).status_code == 302
    assert set(Notification.objects.filter(read_at__isnull=False).values_list("title", flat=True)) == {"N0"}
    # when she marks all read
    client.post(org_url("notifications_read_all", org))
    # then hers are all read, and the other member's is still unread
    assert Notification.objects.filter(recipient=mia.user, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_the_bell_says_how_many_are_unread(client, org, signed_in):
    mia = signed_in(Role.MEMBER)
    for n in range(3):
        _notify(mia, f"N{n}")
    _notify(mia, "Read", read=True)
    _notify(mia, "Email only", in_app=False)
    response = client.get(org_url("notification_bell", org))
    assert response.status_code == 200
    assert b'aria-label="3 unread notifications"' in response.content


def test_every_page_has_the_bell_which_loads_its_count(client, org, signed_in):
    signed_in(Role.VIEWER)
    response = client.get(org_url("health", org))
    assert org_url("notification_bell", org).encode() in response.content
    assert b'hx-trigger="load, every 10s, scores-updated from:body"' in response.content


def test_the_bell_is_one_query_after_the_membership(client, org, signed_in):
    # given many unread notifications
    mia = signed_in(Role.MEMBER)
    for n in range(30):
        _notify(mia, f"N{n}")
    client.get(org_url("notification_bell", org))  # the first request stores the organization in the session
    # then the bell reads the session, the user, the membership and one count
    assert query_count(client, org_url("notification_bell", org)) == 4


def test_the_inbox_queries_do_not_grow_with_rows(client, org, signed_in):
    mia = signed_in(Role.MEMBER)
    _notify(mia, "One")
    client.get(org_url("notifications", org))  # the first request stores the organization in the session
    few = query_count(client, org_url("notifications", org))
    for n in range(40):
        _notify(mia, f"N{n}", read=n % 2 == 0)
    many = query_count(client, org_url("notifications", org))
    assert many == few


def test_the_inbox_is_paged(client, org, signed_in):
    mia = signed_in(Role.MEMBER)
    for n in range(30):
        _notify(mia, f"N{n}")
    response = client.get(org_url("notifications", org))
    assert len(response.context["page"].rows) == 25
    assert len(client.get(org_url("notifications", org), {"page": 2}).context["page"].rows) == 5
    assert client.get(org_url("notifications", org), {"page": "x"}).status_code == 400


def test_preferences_show_the_defaults_and_save_a_choice(client, org, signed_in):
    # given a lead who chose nothing yet
    lead = signed_in(Role.LEAD)
    response = client.get(org_url("notification_preferences", org))
    form = response.context["form"]
    # then alerts and blockers come by email too, the rest in the app, and no digest for a lead
    assert form["alert"].initial == Channel.BOTH
    assert form["recognition"].initial == Channel.IN_APP
    assert form["weekly_digest"].initial == Channel.NONE
    # and each radio has its own label, naming the kind
    label = '<label for="id_alert_1" class="visually-hidden">Alerts on what you own or lead: By email</label>'
    assert label.encode() in response.content
    # when she chooses recognitions by email only
    data = {kind: form[kind].initial for kind in NotificationKind.values} | {"recognition": Channel.EMAIL}
    assert client.post(org_url("notification_preferences", org), data).status_code == 302
    # then only that kind has a row
    assert list(NotificationPreference.objects.values_list("user_id", "kind", "channel")) == [
        (lead.user_id, "recognition", "email")
    ]


def test_a_bad_channel_is_refused_beside_its_kind_and_changes_nothing(client, org, signed_in):
    signed_in(Role.MEMBER)
    data = dict.fromkeys(NotificationKind.values, Channel.IN_APP) | {"alert": "pigeon"}
    response = client.post(org_url("notification_preferences", org), data)
    assert response.status_code == 400
    assert "alert" in response.context["form"].errors
    assert not NotificationPreference.objects.exists()


def test_the_preferences_page_is_in_the_account_menu(client, org, signed_in):
    signed_in(Role.VIEWER)
    response = client.get(org_url("notifications", org))
    assert (
        f'href="{org_url("notification_preferences", org)}">Notification preferences</a>'.encode()
        in response.content
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.EXECUTIVE, 200), (Role.LEAD, 403), (Role.MEMBER, 403), (Role.VIEWER, 403)],
)
def test_the_digest_preview_is_for_executives_and_admins(client, org, signed_in, role, status):
    signed_in(role)
    assert client.get(org_url("digest", org)).status_code == status


def test_the_preferences_page_queries_do_not_grow_with_choices(client, org, signed_in):
    # given a member who chose nothing, then a channel for every kind
    mia = signed_in(Role.MEMBER)
    url = org_url("notification_preferences", org)
    client.get(url)  # the first request stores the organization in the session
    none_chosen = query_count(client, url)
    for kind in NotificationKind.values:
        NotificationPreference.objects.create(
            organization=org, user=mia.user, kind=kind, channel=Channel.NONE
        )
    # then the page reads them in as many queries
    assert query_count(client, url) == none_chosen


def test_opening_or_marking_a_bad_id_is_a_404(client, org, signed_in):
    signed_in(Role.MEMBER)
    assert client.get(org_url("notifications", org), {"open": "x"}).status_code == 404
    assert client.post(org_url("notification_read", org)).status_code == 404
