"""A chunk of events is told in a fixed number of queries: the storm of alerts one recompute opens
costs the worker a few queries per chunk, not a few per alert, and everyone is still told once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from execgap.events import Event, EventKind
from execgap.models import Role
from notifications.models import Notification
from notifications.tasks import notify_task
from tests.conftest import person_of
from tests.factories import InitiativeFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _alerts(org, subjects: list[dict]) -> list[dict]:
    return [
        {
            "event": Event(
                kind=EventKind.ALERT_OPENED,
                organization_id=org.pk,
                data={"subject": subject, "message": f"Alert {number}"},
            ).as_json(),
            "actor_user_id": None,
        }
        for number, subject in enumerate(subjects)
    ]


def _mixed(org, growth, extra: int) -> list[dict]:
    """Alerts on Growth's objective, on the team, on the organization's scores, and on `extra + 1`
    initiatives and people each."""
    subjects = [
        {"kind": "objective", "id": growth.objective.pk, "title": "Grow self-serve"},
        {"kind": "team", "id": growth.team.pk, "title": "Growth"},
        {"kind": "organization", "id": org.pk, "title": "Execution health"},
    ]
    for number in range(extra + 1):
        initiative = InitiativeFactory(organization=org, owner=person_of(growth.owner), team=growth.team)
        person = person_of(growth.member) if not number else PersonFactory(organization=org, team=growth.team)
        subjects += [
            {"kind": "initiative", "id": initiative.pk, "title": initiative.title},
            {"kind": "person", "id": person.pk, "title": person.name},
        ]
    return subjects


def test_a_chunk_of_alerts_costs_the_same_queries_however_many_it_holds(org, growth, member_of):
    # given a chunk of 5 alerts, and one of 25 on as many kinds of subject
    member_of(Role.ADMIN)
    small = _alerts(org, _mixed(org, growth, extra=0))
    large = _alerts(org, _mixed(org, growth, extra=10))
    # when each is told
    with CaptureQueriesContext(connection) as told_small:
        made_small = notify_task(small)
    with CaptureQueriesContext(connection) as told_large:
        made_large = notify_task(large)
    # then the larger chunk makes more notifications with the same number of queries
    assert made_large > made_small > 0
    assert len(told_large) == len(told_small)


def test_each_alert_of_a_chunk_reaches_its_own_people_once(org, growth, member_of):
    # given an admin, and alerts on the objective (owner Omar, lead Lena), the team (Lena) and the
    # scores (the executive and the admin)
    admin = member_of(Role.ADMIN)
    subjects = [
        {"kind": "objective", "id": growth.objective.pk, "title": "Grow self-serve"},
        {"kind": "team", "id": growth.team.pk, "title": "Growth"},
        {"kind": "organization", "id": org.pk, "title": "Execution health"},
    ]
    # when they are told as one chunk, twice (a redelivered task)
    chunk = _alerts(org, subjects)
    notify_task(chunk)
    notify_task(chunk)
    assert Notification.objects.count() == 5
    # then each reached exactly its people
    told = {(row.title, row.recipient_id) for row in Notification.objects.all()}
    assert told == {
        ("Alert opened: Grow self-serve", growth.owner.user_id),
        ("Alert opened: Grow self-serve", growth.lead.user_id),
        ("Alert opened: Growth", growth.lead.user_id),
        ("Alert opened: Execution health", growth.executive.user_id),
        ("Alert opened: Execution health", admin.user_id),
    }
