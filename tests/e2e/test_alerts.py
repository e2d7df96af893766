"""Alerts and alert rules in a real browser: the alerts list and an alert's page, the rule form with
an error beside its field, then a rule created through it. Every page passes axe-core's checks and
fits a phone's screen; each is saved as artifacts/screenshots/alerts-<page>[-phone].png.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from alerts.models import AlertRule
from tests.api.alerts.conftest import make_alert
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import WIDER_THAN_THE_SCREEN


def checked(tab: Visit, name: str, problems: list[str]) -> None:
    """Screenshot the page, and collect its axe problems, uncaught script errors and overflow."""
    tab.screenshot(f"alerts-{name}")
    problems.extend(f"{name}: {problem}" for problem in axe_problems(tab.page))
    problems.extend(f"{name}: JavaScript error {error}" for error in tab.take_errors())
    overflow = tab.page.evaluate(WIDER_THAN_THE_SCREEN)
    if overflow["scroll"] > overflow["width"]:
        problems.append(f"{name} is {overflow['scroll']} px wide on a {overflow['width']} px screen")


def test_the_alerts_pages_and_a_rule_made_through_the_form(visit: Callable[..., Visit], plan: Plan) -> None:
    problems: list[str] = []
    # given a late initiative's open alert and an earlier resolved one
    rule = AlertRule.objects.create(
        organization=plan.organization, name="Forecast late", kind="forecast_late"
    )
    alert = make_alert(rule, plan.staffed.pk)
    make_alert(rule, plan.unstaffed.pk, state="resolved", days=-3)

    for phone in (False, True):
        suffix = "-phone" if phone else ""
        tab = visit(plan.admin, phone=phone)
        # the alerts list: open first, each row linking to the alert's page
        page: Page = tab.open(plan.path("alerts/"))
        expect(page.get_by_role("heading", name="Alerts", level=1)).to_be_visible()
        expect(page.get_by_role("link", name=alert.message)).to_be_visible()
        checked(tab, f"list{suffix}", problems)
        page.get_by_role("link", name=alert.message).click()
        expect(page.get_by_role("heading", name=alert.message, level=1)).to_be_visible()
        checked(tab, f"detail{suffix}", problems)
        # the rule form of a kind, sent without its threshold: the error is beside the field
        tab.open(plan.path("settings/alert-rules/new/"))
        checked(tab, f"kinds{suffix}", problems)
        page.get_by_role("link", name="Score below a threshold").click()
        page.get_by_label("Name").fill(f"Resources below 65{suffix}")
        page.get_by_label("Score").select_option("resources")
        page.get_by_role("button", name="Add rule").click()
        expect(page.get_by_label("Threshold")).to_have_attribute("aria-invalid", "true")
        checked(tab, f"form-errors{suffix}", problems)
        # when the threshold is given: the rule is made and listed
        page.get_by_label("Threshold").fill("65")
        page.get_by_role("button", name="Add rule").click()
        expect(page.get_by_role("cell", name=f"Resources below 65{suffix}", exact=True)).to_be_visible()
        checked(tab, f"rules{suffix}", problems)

    made = AlertRule.objects.for_org(plan.organization).get(name="Resources below 65")
    assert (made.kind, made.score, made.threshold) == ("score_below", "resources", 65.0)
    assert problems == []
