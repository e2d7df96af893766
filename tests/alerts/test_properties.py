"""Property: over any sequence of snapshots, each crossing opens exactly one alert, each clearing
resolves it, nothing is duplicated, and the history of every alert is intact (hypothesis)."""

from datetime import timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts.evaluation import evaluate
from alerts.models import Alert, AlertRule
from execgap.events import EventKind
from tests.alerts.conftest import D0, initiative_row, snapshot_at
from tests.factories import InitiativeFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

THRESHOLD = 65.0

# One snapshot: the resources score (around the threshold, sometimes missing) and whether each of
# two initiatives is forecast late.
steps = st.lists(
    st.tuples(
        st.one_of(st.none(), st.sampled_from([0.0, 40.0, 64.9, 65.0, 65.1, 90.0])),
        st.booleans(),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_each_crossing_opens_one_alert_and_each_clearing_resolves_it(sequence):
    # given "resources below 65" and "forecast late", two initiatives
    organization = OrganizationFactory()
    below = AlertRule.objects.create(
        organization=organization,
        name="Resources",
        kind="score_below",
        score="resources",
        threshold=THRESHOLD,
    )
    late = AlertRule.objects.create(organization=organization, name="Late", kind="forecast_late")
    initiatives = [InitiativeFactory(organization=organization) for _ in range(2)]
    published: list[tuple[EventKind, int]] = []
    open_now: dict[tuple[int, int], bool] = {}  # the model: (rule, subject) → open?
    crossings: dict[tuple[int, int], list[float | None]] = {}

    with mock.patch.object(
        evaluate,
        "publish",
        side_effect=lambda *events: published.extend(
            (event.kind, event.data["alert_id"]) for event in events
        ),
    ):
        for day, (resources, *lateness) in enumerate(sequence):
            # when each snapshot is stored and evaluated
            snapshot = snapshot_at(organization, D0 + timedelta(days=day), resources=resources)
            conditions = {
                (below.pk, organization.pk): (resources is not None and resources < THRESHOLD, resources)
            }
            for initiative, is_late in zip(initiatives, lateness, strict=True):
                initiative_row(snapshot, initiative, forecast_late=is_late)
                conditions[(late.pk, initiative.pk)] = (is_late, None)
            opened, resolved = evaluate.alerts_evaluate(snapshot=snapshot)

            # then exactly the crossings open and exactly the clearings resolve
            expected_open = {key for key, (holds, _) in conditions.items() if holds and not open_now.get(key)}
            expected_resolved = {
                key for key, (holds, _) in conditions.items() if not holds and open_now.get(key)
            }
            assert {(a.rule_id, a.subject_id) for a in opened} == expected_open
            assert {(a.rule_id, a.subject_id) for a in resolved} == expected_resolved
            for key in expected_open:
                crossings.setdefault(key, []).append(conditions[key][1])
            open_now = {key: holds for key, (holds, _) in conditions.items()}

    # and the history holds one alert per crossing, in order, at the values then, at most one open
    for key, values in crossings.items():
        alerts = list(Alert.objects.filter(rule_id=key[0], subject_id=key[1]).order_by("id"))
        assert [a.value_at_open for a in alerts] == values
        assert [a.state for a in alerts[:-1]] == ["resolved"] * (len(alerts) - 1)
        assert alerts[-1].state == ("open" if open_now[key] else "resolved")
        assert all(a.resolved_at is None or a.resolved_at >= a.opened_at for a in alerts)
    # and one event per opening and per resolution, never twice
    assert len(published) == len(set(published))
    opened_events = [alert_id for kind, alert_id in published if kind == EventKind.ALERT_OPENED]
    assert sorted(opened_events) == sorted(
        Alert.objects.filter(organization=organization).values_list("id", flat=True)
    )
    resolved_events = [alert_id for kind, alert_id in published if kind == EventKind.ALERT_RESOLVED]
    assert sorted(resolved_events) == sorted(
        Alert.objects.filter(organization=organization, state="resolved").values_list("id", flat=True)
    )
