"""The weekly reminder to owners of tracked items without a fresh check-in."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from feedback.reminders import checkin_reminders_send, stale_items_by_owner
from objectives.models import InitiativeStatus, ObjectiveStatus
from tests.factories import (
    CheckInFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)  # with the default cadence C = 14, fresh check-ins are dated 2026-12-19 .. 2027-01-01


def test_owners_hear_about_tracked_items_without_a_fresh_check_in(org):
    # given Ann owns an objective checked in on D - 13 (fresh), one checked in on D - 14 (stale),
    # and an active initiative never checked in; Bob's only objective is fresh through a key result
    ann = PersonFactory(organization=org, name="Ann", email="ann@example.com")
    bob = PersonFactory(organization=org, name="Bob", email="bob@example.com")
    fresh = ObjectiveFactory(organization=org, owner=ann, title="Fresh goal")
    stale = ObjectiveFactory(organization=org, owner=ann, title="Stale goal")
    CheckInFactory(organization=org, objective=fresh, date=date(2026, 12, 19))
    CheckInFactory(organization=org, objective=stale, date=date(2026, 12, 18))
    InitiativeFactory(organization=org, owner=ann, title="Silent initiative", status=InitiativeStatus.ACTIVE)
    bobs = ObjectiveFactory(organization=org, owner=bob, title="Bob's goal")
    CheckInFactory(organization=org, key_result=KeyResultFactory(organization=org, objective=bobs), date=D)

    # when the reminders are worked out for D
    reminders = stale_items_by_owner(organization=org, as_of=D)

    # then only Ann is reminded, of the stale objective and the silent initiative
    assert [(r.name, [(i.kind, i.title) for i in r.items]) for r in reminders] == [
        ("Ann", [("initiative", "Silent initiative"), ("objective", "Stale goal")]),
    ]


def test_items_that_are_not_tracked_or_whose_owner_cannot_be_reached_are_left_out(org):
    # given items not tracked at D (draft, ended, on hold) and owners who are inactive or have no email
    owner = PersonFactory(organization=org, email="o@example.com")
    ObjectiveFactory(organization=org, owner=owner, status=ObjectiveStatus.DRAFT)
    ObjectiveFactory(organization=org, owner=owner, end_date=date(2026, 12, 31))
    InitiativeFactory(organization=org, owner=owner, status=InitiativeStatus.ON_HOLD)
    ObjectiveFactory(
        organization=org, owner=PersonFactory(organization=org, email="x@example.com", active=False)
    )
    ObjectiveFactory(organization=org, owner=PersonFactory(organization=org, email=""))
    # when / then nobody is reminded
    assert stale_items_by_owner(organization=org, as_of=D) == []


def test_one_email_per_owner_lists_their_items(org, other_org):
    # given two owners with stale items, and a stale item in another organization
    ann = PersonFactory(
        organization=org, name="Ann", email="ann@example.com", weekly_capacity_hours=Decimal(40)
    )
    cy = PersonFactory(organization=org, name="Cy", email="cy@example.com")
    ObjectiveFactory(organization=org, owner=ann, title="Grow revenue")
    ObjectiveFactory(organization=org, owner=cy, title="Ship the app")
    ObjectiveFactory(
        organization=other_org,
        owner=PersonFactory(organization=other_org, email="z@example.com"),
        title="Theirs",
    )
    # when the weekly reminders go out for org
    sent = checkin_reminders_send(organization=org, as_of=D)
    # then each owner gets one email naming their own items only
    assert sent == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"ann@example.com", "cy@example.com"}
    assert "Grow revenue" in by_recipient["ann@example.com"].body
    assert "Ship the app" not in by_recipient["ann@example.com"].body
    assert "Theirs" not in "".join(message.body for message in mail.outbox)


def test_the_reminder_is_html_with_text_and_links_to_each_item(org, settings):
    # given Ann owns a stale objective and a stale initiative
    settings.EXECGAP_BASE_URL = "https://execgap.example.com"
    ann = PersonFactory(organization=org, name="Ann", email="ann@example.com")
    objective = ObjectiveFactory(organization=org, owner=ann, title="Grow revenue")
    initiative = InitiativeFactory(organization=org, objective=objective, owner=ann, title="Annual plans")
    # when the reminders go out
    checkin_reminders_send(organization=org, as_of=D)
    # then her one email has a plain-text body and an HTML alternative
    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    # and both link to each item's page and to its check-in form, absolute
    base = f"https://execgap.example.com/o/{org.slug}"
    assert f'href="{base}/objectives/{objective.pk}/"' in html
    assert f'href="{base}/initiatives/{initiative.pk}/"' in html
    assert f"{base}/check-ins/new/?objective={objective.pk}" in message.body
    assert f"{base}/check-ins/new/?initiative={initiative.pk}" in message.body
