"""The charts of the pages that read scores, in a real browser: six weeks of Northwind's scores with the
plan changing on the way. The health page's trends are read from the keyboard (a day's value and date
in its tooltip and its name), a marker opens the plan history of its day; the objective page, the team
workspace and the resources page draw theirs. Each page passes axe and fits a 390 px phone; the pages
are saved as artifacts/screenshots/charts-<page>.png at 1440 px and charts-phone-<page>.png."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from feedback.selectors import PLAN_HISTORY_MODELS
from resources.models import Allocation
from scoring.services import scores_recompute
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import WIDER_THAN_THE_SCREEN
from tests.factories import TaskFactory

WIDE = {"width": 1440, "height": 900}


def _backdate_history(since: datetime, day: date) -> None:
    """Move the plan history recorded since `since` to noon of `day` (as if changed then)."""
    noon = timezone.make_aware(datetime.combine(day, time(12)))
    for model in PLAN_HISTORY_MODELS.values():
        model.history.model.objects.filter(history_date__gte=since).update(history_date=noon)  # type: ignore[attr-defined]


def _six_weeks(plan: Plan) -> None:
    """Scores on six days of the last five weeks: the allocation grows and an orphan chore shrinks, the
    allocation's changes recorded in the plan history on their days; today's scores come last."""
    today = timezone.localdate()
    allocation = Allocation.objects.get(initiative=plan.staffed)
    chore = TaskFactory(
        organization=plan.organization, title="Rebuild the CI runners", team=plan.team,
        assignee=plan.member_person, effort_hours=Decimal(12),
    )  # fmt: skip
    for offset, hours, chore_hours in ((34, 4, 12), (27, 6, 10), (20, 10, 8), (13, 14, 5), (6, 18, 3)):
        day = today - timedelta(days=offset)
        since = timezone.now()
        if allocation.hours_per_week != hours:
            allocation.hours_per_week = Decimal(hours)
            allocation.save()
        chore.effort_hours = Decimal(chore_hours)
        chore.save()
        _backdate_history(since, day)
        scores_recompute(organization_id=plan.organization.pk, as_of=day)
    since = timezone.now()
    allocation.hours_per_week = Decimal(20)
    allocation.save()
    chore.delete()
    _backdate_history(since, today - timedelta(days=2))
    scores_recompute(organization_id=plan.organization.pk)


def _fits_a_phone(tab: Visit) -> None:
    overflow = tab.page.evaluate(WIDER_THAN_THE_SCREEN)
    assert overflow["scroll"] <= overflow["width"], overflow
    charts = tab.page.evaluate(
        """() => [...document.querySelectorAll('svg.chart')].filter((svg) => {
            const box = svg.getBoundingClientRect();
            const parent = svg.parentElement.getBoundingClientRect();
            return svg.closest('.table-scroll') === null && box.right > parent.right + 1;
        }).length"""
    )
    assert charts == 0


def test_an_executive_reads_the_health_trends_with_their_scale_dates_and_values(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given six weeks of scores, the plan changing on the way
    _six_weeks(plan)
    tab = visit(plan.executive)
    tab.page.set_viewport_size(WIDE)
    # when the executive opens the health page
    page = tab.open(plan.path())
    # then each score's trend has a y-axis of round numbers and dates along the bottom
    resources = page.locator("#trend-resources")
    expect(resources.locator("svg title")).to_have_text("Resources, day by day (0 to 100)")
    expect(resources.locator("g.axis text")).not_to_have_count(0)
    # and, from the keyboard, the last day says its date and value, in its name and in its tooltip
    last_day = resources.locator("g.day").last
    last_day.focus()
    expect(last_day).to_be_focused()
    today = timezone.localdate()
    expect(last_day).to_have_attribute("aria-label", f"{today:%-d %b %Y}: " + _resources_words(page))
    expect(last_day.locator(".tip")).to_be_visible()
    # and the days the plan changed are marked, each a link to that day's plan history
    markers = resources.locator("a.marker")
    expect(markers).not_to_have_count(0)
    expect(page.locator("#trend-effort-mix g.day")).to_have_count(6)
    expect(page.locator("#boardroom-shares")).to_contain_text("Grow recurring revenue")
    tab.screenshot("charts-health")
    assert not axe_problems(page)
    target = markers.first.get_attribute("href")
    assert target is not None
    assert "since=" in target
    assert "until=" in target
    markers.first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(tab.base_url + target)

    # and on a phone every chart fits the screen
    phone = visit(plan.executive, phone=True)
    phone.open(plan.path())
    _fits_a_phone(phone)
    phone.screenshot("charts-phone-health")


def _resources_words(page) -> str:  # type: ignore[no-untyped-def]
    value = page.locator("#trend-resources table tbody tr").last.locator("td").first.inner_text()
    return f"Resources {value}"


def test_the_objective_team_and_resources_pages_draw_their_charts(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given six weeks of scores
    _six_weeks(plan)
    tab = visit(plan.lead)
    tab.page.set_viewport_size(WIDE)
    phone = visit(plan.lead, phone=True)
    pages = {
        "objective": (plan.path(f"objectives/{plan.child.pk}/"), "#objective-trend"),
        "team": (plan.path(f"teams/{plan.team.pk}/"), "#team-trend figure"),
        "resources": (plan.path("resources/"), "#initiative-coverage-chart"),
    }
    for name, (path, chart) in pages.items():
        # when the lead opens the page
        page = tab.open(path)
        # then its chart is drawn, with its numbers in a table for screen readers
        expect(page.locator(f"{chart} svg")).to_be_visible()
        expect(page.locator(f"{chart} table.chart-table")).to_have_count(1)
        tab.screenshot(f"charts-{name}")
        assert not axe_problems(page), name
        # and on a phone it fits the screen
        phone.open(path)
        _fits_a_phone(phone)
        phone.screenshot(f"charts-phone-{name}")
    # and the resources page shows the people × initiatives heatmap with its legend
    page = tab.open(plan.path("resources/"))
    expect(page.locator("svg.heatmap")).to_be_visible()
    expect(page.locator(".heat-legend li")).to_have_count(4)
