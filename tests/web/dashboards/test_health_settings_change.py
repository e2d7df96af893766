"""A trend that spans a change of the scoring settings says so: the move is not the work's alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from execgap.models import Organization, Role
from execgap.services import organization_update
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute
from tests.web.conftest import org_url, query_count
from tests.web.dashboards.conftest import WORKED_EXAMPLE_DATE

pytestmark = pytest.mark.django_db

D = WORKED_EXAMPLE_DATE  # 1 Jan 2027


def _text(response) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    return text.replace(" .", ".").replace(" :", ":")


def _at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _snapshot_like(base: ScoreSnapshot, *, as_of, computed_at, alignment, **settings) -> ScoreSnapshot:
    """A snapshot with the worked example's parts, on `as_of`, with the given alignment and settings."""
    values = {
        f.attname: getattr(base, f.attname) for f in ScoreSnapshot._meta.concrete_fields if f.name != "id"
    }
    values |= {"as_of": as_of, "computed_at": computed_at, "started_at": computed_at, "alignment": alignment}
    return ScoreSnapshot.objects.create(**(values | settings))


@pytest.fixture
def two_days(worked_example):
    """Alignment 49.0 on 22 Dec (cadence 14) and 56.0 on 1 Jan (cadence 28)."""
    base = scores_recompute(organization_id=worked_example.org.pk, as_of=D)
    first = _snapshot_like(base, as_of=D - timedelta(days=10), computed_at=_at(D - timedelta(days=10), 6),
                           alignment=49.0)  # fmt: skip
    return base, first


def test_a_move_across_a_change_of_the_settings_says_so_and_links_it(client, signed_in, org, admin, two_days):
    # given alignment 49.0 on 22 Dec, the check-in cadence changed from 14 to 28 days on 25 Dec, and
    # alignment 56.0 on 1 Jan computed with the new cadence
    base, _ = two_days
    organization_update(actor=admin, data={"checkin_cadence_days": 28}, reason="Monthly check-ins")
    record = Organization.history.model.objects.filter(id=org.pk, history_type="~").get()
    Organization.history.model.objects.filter(pk=record.pk).update(
        history_date=_at(D - timedelta(days=7), 12)
    )
    _snapshot_like(base, as_of=D, computed_at=_at(D, 6), alignment=56.0, checkin_cadence_days=28)
    # when the health page is opened
    signed_in(Role.EXECUTIVE)
    response = client.get(org_url("health", org))
    # then the alignment's trend says it is up 56.0 − 49.0 = 7.0 points, and that the settings changed
    assert (
        "Up 7.0 points since 22 Dec (then 49.0) — the scoring settings changed on 25 Dec: "
        "the move is not the work's alone." in _text(response)
    )
    # and the words link to that change in the plan history
    link = f'href="{org_url("plan_history", org)}?change_set={record.history_change_set}"'
    assert link in response.content.decode()
    # where the change is shown
    history = client.get(f"{org_url('plan_history', org)}?change_set={record.history_change_set}")
    assert "Check-in cadence (days) 14 → to 28" in _text(history)


def test_a_move_with_the_same_settings_is_the_works_own(client, signed_in, org, two_days):
    # given alignment 49.0 on 22 Dec and 56.0 on 1 Jan, both with the same settings
    base, _ = two_days
    _snapshot_like(base, as_of=D, computed_at=_at(D, 6), alignment=56.0)
    signed_in(Role.VIEWER)
    text = _text(client.get(org_url("health", org)))
    # then the trend says how far it moved, and nothing of the settings
    assert "Up 7.0 points since 22 Dec (then 49.0)." in text
    assert "scoring settings changed" not in text


def test_a_rename_between_the_two_days_is_no_change_of_the_settings(client, signed_in, org, admin, two_days):
    base, _ = two_days
    organization_update(actor=admin, data={"name": "Acme Inc"})
    _snapshot_like(base, as_of=D, computed_at=_at(D, 6), alignment=56.0)
    signed_in(Role.VIEWER)
    assert "scoring settings changed" not in _text(client.get(org_url("health", org)))


def test_a_change_of_the_settings_costs_the_page_two_queries_at_most(client, signed_in, org, admin, two_days):
    # given the same two days, first with the same settings, then with the cadence changed between
    base, _ = two_days
    latest = _snapshot_like(base, as_of=D, computed_at=_at(D, 6), alignment=56.0)
    signed_in(Role.LEAD)
    client.get(org_url("health", org))  # the session's first request does one-off work
    same = query_count(client, org_url("health", org))
    organization_update(actor=admin, data={"checkin_cadence_days": 28})
    ScoreSnapshot.objects.filter(pk=latest.pk).delete()
    _snapshot_like(
        base, as_of=D, computed_at=_at(D, 6) + timedelta(days=365), alignment=56.0, checkin_cadence_days=28
    )
    changed = query_count(client, org_url("health", org))
    # then the change costs at most the two reads of the settings' history (never a read per row)
    assert same <= changed <= same + 2
