"""The trends of the pages that read scores: the markers where the plan or the scoring settings changed
(one selector over the plan history by date range), an objective's and a team's trend, the health
page's effort mix and shares, the resources page's coverage against need; each page's queries the same
however many days and changes its charts show."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Organization, Role
from feedback.selectors import PLAN_HISTORY_MODELS
from scoring.services import scores_recompute
from scoring.web.trends import plan_change_markers
from tests.factories import (
    AllocationFactory,
    InitiativeFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PersonFactory,
    TeamFactory,
)
from tests.web.conftest import org_url, query_count
from tests.web.dashboards.conftest import WORKED_EXAMPLE_DATE

pytestmark = pytest.mark.django_db


def _on(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _backdate(obj, day: date) -> None:
    """Move every history record of `obj` (a plan row, or the organization's settings) to `day`."""
    kind = next(kind for kind, model in PLAN_HISTORY_MODELS.items() if isinstance(obj, model))
    PLAN_HISTORY_MODELS[kind].history.model.objects.filter(id=obj.pk).update(history_date=_on(day))


def _figure(html: str, key: str) -> str:
    start = html.index(f'id="{key}"')
    return html[start : html.index("</figure>", start)]


def test_each_day_of_changes_is_one_marker_saying_how_many_of_what(org):
    # given, on 3 Nov, two initiatives created and an objective changed; on 5 Nov an allocation; on
    # 6 Nov the scoring settings; and an initiative on 1 Nov, before the range asked for
    objective = ObjectiveFactory(organization=org, title="Grow")
    first, second = InitiativeFactory(organization=org), InitiativeFactory(organization=org)
    objective.title = "Grow faster"
    objective.save()
    allocation = AllocationFactory(organization=org, initiative=first)
    earlier = InitiativeFactory(organization=org)
    org.checkin_cadence_days = 21
    org.save()
    elsewhere = ObjectiveFactory(organization=OrganizationFactory(slug="other"))  # another organization's
    for row, day in (
        (objective, 3), (first, 3), (second, 3), (allocation, 5), (earlier, 1), (org, 6), (elsewhere, 3),
    ):  # fmt: skip
        _backdate(row, date(2026, 11, day))
    # when the markers of 2 to 8 Nov are read
    markers = plan_change_markers(organization=org, date_from=date(2026, 11, 2), date_to=date(2026, 11, 8))
    # then there is one a day with changes, saying how many and of what, linking to that day's history
    assert [(marker.day.day, marker.label) for marker in markers] == [
        (3, "4 plan changes (2 objectives, 2 initiatives)"),
        (5, "1 plan change (1 allocation)"),
        (6, "1 plan change (1 scoring settings change)"),
    ]
    assert markers[0].url == "/o/acme/history/?since=2026-11-03&until=2026-11-03"


def test_the_markers_are_one_query_whatever_the_history_holds(org, django_assert_num_queries):
    for day in range(1, 20):
        _backdate(InitiativeFactory(organization=org), date(2026, 11, day))
    with django_assert_num_queries(1):
        markers = plan_change_markers(
            organization=org, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)
        )
    assert len(markers) == 19


def _weeks_of_scores(org: Organization, weeks: int) -> None:
    """Scores once a week for `weeks` weeks up to the worked example's day, a plan change each week."""
    for week in range(weeks, -1, -1):
        day = WORKED_EXAMPLE_DATE - timedelta(days=7 * week)
        _backdate(InitiativeFactory(organization=org), day)
        scores_recompute(organization_id=org.pk, as_of=day)


def test_the_health_page_draws_each_trend_the_effort_mix_and_the_shares(
    client, signed_in, org, worked_example
):
    # given five weeks of scores, the plan changing each week
    signed_in(Role.EXECUTIVE)
    _weeks_of_scores(org, 4)
    # when the page is opened
    html = client.get(org_url("health", org)).content.decode()
    # then each score's trend is drawn with its five days, its markers and its table
    for key in ("execution_health", "alignment", "resources", "adaptability", "people"):
        chart = _figure(html, f"trend-{key}")
        assert chart.count('class="day" tabindex="0"') == 5
        for week in range(5):  # each week's change is marked on its day
            day = WORKED_EXAMPLE_DATE - timedelta(days=7 * week)
            assert f'<tr><th scope="row">{day:%-d %b %Y}</th><td>' in chart
            assert re.search(rf"{day:%-d %b %Y}</th><td>[\d.]+</td><td>\d+ plan changes? \(", chart)
        assert '<div class="visually-hidden"><table class="chart-table">' in chart
    # and the effort mix stacks aligned, misaligned and orphan hours each of those days
    mix = _figure(html, "trend-effort-mix")
    assert mix.count('class="day" tabindex="0"') == 5
    assert '<th scope="col">Aligned</th><th scope="col">Misaligned</th><th scope="col">Orphan</th>' in mix
    # and each active boardroom objective's intended share is paired with its actual one
    shares = _figure(html, "boardroom-shares")
    assert re.search(r'aria-label="[^"]+: intended \d+%, actual (\d+%|not measured)"', shares)


def test_the_health_page_queries_do_not_grow_with_the_days_or_the_changes(
    client, signed_in, org, worked_example
):
    signed_in(Role.EXECUTIVE)
    _weeks_of_scores(org, 1)
    client.get(org_url("health", org))  # the first visit also records the current organization
    few = query_count(client, org_url("health", org))
    _weeks_of_scores(org, 5)
    assert query_count(client, org_url("health", org)) == few


def test_an_objective_page_draws_its_progress_and_coverage_over_time(client, signed_in, org, worked_example):
    # given four weeks of scores
    signed_in(Role.VIEWER)
    _weeks_of_scores(org, 3)
    # when the page of an objective is opened
    html = client.get(org_url("objective_detail", org, pk=worked_example.r1.pk)).content.decode()
    # then its progress and coverage are drawn day by day, with a table of both
    chart = _figure(html, "objective-trend")
    assert "Progress and coverage of" in chart
    assert chart.count('class="day" tabindex="0"') == 4
    assert '<th scope="col">Progress</th><th scope="col">Coverage</th>' in chart
    assert chart.count('<a class="marker"') >= 4  # the weekly changes (and the example's own making)


def test_an_objective_page_runs_as_many_queries_for_more_days(client, signed_in, org, worked_example):
    signed_in(Role.VIEWER)
    url = org_url("objective_detail", org, pk=worked_example.r1.pk)
    _weeks_of_scores(org, 1)
    client.get(url)  # the first visit also records the current organization
    few = query_count(client, url)
    _weeks_of_scores(org, 5)
    assert query_count(client, url) == few


def test_a_team_workspace_draws_the_team_alignment_over_time(client, signed_in, org, worked_example):
    signed_in(Role.LEAD)
    _weeks_of_scores(org, 2)
    url = org_url("team_workspace", org, pk=worked_example.t1.pk)
    html = client.get(url).content.decode()
    chart = _figure(html, "team-trend")
    assert f"Alignment of {worked_example.t1.name}, day by day" in chart
    assert chart.count('class="day" tabindex="0"') == 3
    # and its queries do not grow with the days shown
    few = query_count(client, url)
    _weeks_of_scores(org, 6)
    assert query_count(client, url) == few


def test_a_team_without_scores_yet_has_no_trend(client, signed_in, org):
    signed_in(Role.LEAD)
    team = TeamFactory(organization=org)
    html = client.get(org_url("team_workspace", org, pk=team.pk)).content.decode()
    assert 'id="team-trend"' not in html


def test_the_resources_page_pairs_each_initiatives_need_with_its_staffing(client, signed_in, org):
    # given an initiative needing 40 hours, 10 a week staffed
    signed_in(Role.EXECUTIVE)
    objective = ObjectiveFactory(organization=org, title="Grow")
    initiative = InitiativeFactory(
        organization=org, title="Wizard", objective=objective, estimate_hours=Decimal(40),
        end_date=timezone.localdate() + timedelta(days=60),
    )  # fmt: skip
    AllocationFactory(
        organization=org, initiative=initiative, person=PersonFactory(organization=org),
        hours_per_week=Decimal(1),
    )  # fmt: skip
    scores_recompute(organization_id=org.pk)
    # when the resources page is opened
    html = client.get(org_url("resources", org)).content.decode()
    # then the chart pairs its needed and staffed hours, linked to its page, with a table
    chart = _figure(html, "initiative-coverage-chart")
    assert re.search(r'aria-label="Wizard \(\d+% covered\): needed 40 h, staffed \d+ h"', chart)
    assert f'href="{org_url("initiative_detail", org, pk=initiative.pk)}"' in chart
    assert '<th scope="col">Needed</th><th scope="col">Staffed</th>' in chart


def test_the_resources_chart_draws_the_ten_least_covered_and_says_how_many_more(client, signed_in, org):
    # given twelve active initiatives, none staffed
    signed_in(Role.EXECUTIVE)
    objective = ObjectiveFactory(organization=org)
    for number in range(12):
        InitiativeFactory(
            organization=org, title=f"Initiative {number:02d}", objective=objective,
            estimate_hours=Decimal(10), end_date=timezone.localdate() + timedelta(days=30),
        )  # fmt: skip
    scores_recompute(organization_id=org.pk)
    # when the resources page is opened
    chart = _figure(client.get(org_url("resources", org)).content.decode(), "initiative-coverage-chart")
    # then ten are drawn, and the chart says the table below holds the other two
    assert chart.count('<g class="pair">') == 10
    assert '<p class="chart-note">2 more in the table below.</p>' in chart
