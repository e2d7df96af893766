"""The plan history in the browser: a timeline of change sets with the scoring settings in it,
filtered in place (and without script), collapsible, readable at 1440 and 390 px, axe clean with its
experimental rules (label-content-name-mismatch among them).

Saved as plan-history.png, plan-history-settings.png and phone-plan-history.png.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from execgap.history import change_set
from execgap.models import Organization
from execgap.services import organization_update
from objectives.services import key_result_create, objective_create, objective_update
from tests.e2e.conftest import AXE_SCRIPT, Visit
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import WIDER_THAN_THE_SCREEN

DESKTOP = {"width": 1440, "height": 900}
SETTLE_SECONDS = 60


def _history(plan: Plan) -> None:
    """The admin moves the check-in cadence from 14 to 28 days, the executive adds an objective and its
    key result together, then renames the boardroom objective thirty times (more than a page)."""
    organization = plan.organization
    admin = organization.memberships.get(user=plan.admin)
    executive = organization.memberships.get(user=plan.executive)
    for number in range(30):
        objective_update(actor=executive, objective=plan.root, data={"title": f"Grow revenue v{number}"})
    with change_set():
        expansion = objective_create(
            actor=executive,
            data={"title": "Open the Nordic market", "parent": plan.root, "team": plan.team},
            reason="Board decision of 3 Dec",
        )
        key_result_create(
            actor=executive,
            data={"objective": expansion, "title": "Nordic customers", "target_value": 40},
            reason="Board decision of 3 Dec",
        )
    organization_update(actor=admin, data={"checkin_cadence_days": 28}, reason="Monthly check-ins")
    _scores_current(organization)


def _scores_current(organization: Organization) -> None:
    """Wait for the worker's recompute of these changes (a run still going at the end of a test would
    hold the tables the next test's flush empties)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while Organization.objects.filter(pk=organization.pk, scores_stale_since__isnull=False).exists():
        assert time.monotonic() < deadline, "the scores were not recomputed in time"
        time.sleep(0.2)


def _axe_with_experimental_rules(page: Page) -> list[str]:
    """The serious and critical violations axe finds, its experimental rules included."""
    page.evaluate(AXE_SCRIPT.read_text())
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]
    result = page.evaluate(
        """async (tags) => await axe.run(document,
            {resultTypes: ['violations'], runOnly: {type: 'tag', values: tags}})""",
        tags,
    )
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_an_executive_reads_filters_and_folds_the_timeline(visit: Callable[..., Visit], plan: Plan) -> None:
    # given a history with a settings change, two changes made together and a page and more of renames
    _history(plan)
    tab = visit(plan.executive)
    tab.page.set_viewport_size(DESKTOP)
    # when the plan history is opened
    page = tab.open(plan.path("history/"))
    timeline = page.get_by_role("list", name="Changes, newest first")
    groups = timeline.locator(":scope > li")
    # then the settings change comes first, with who, the setting from and to, and why
    first = groups.first
    expect(first).to_contain_text("Changed the scoring settings")
    expect(first).to_contain_text("Check-in cadence (days)")
    expect(first).to_contain_text("Why: Monthly check-ins")
    # and the objective and its key result made together are one group
    together = groups.nth(1)
    expect(together).to_contain_text("1 key result created, 1 objective created")
    expect(together).to_contain_text("Why: Board decision of 3 Dec")
    tab.screenshot("plan-history")
    assert _axe_with_experimental_rules(page) == []
    # when a group is folded from the keyboard
    summary = together.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    # then its changes are hidden
    expect(together.locator(".history-entries")).to_be_hidden()
    # when the kind "Scoring settings" is chosen
    page.get_by_label("Kind of item").select_option("settings")
    # then the results alone are swapped in place, and the address keeps the filter
    expect(timeline.locator(":scope > li")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]kind=settings"))
    expect(page.locator("#history-results").get_by_role("link", name="Clear filters")).to_be_visible()
    tab.screenshot("plan-history-settings")
    assert _axe_with_experimental_rules(page) == []


def test_the_filters_work_without_javascript(browser: Browser, live_stack: str, plan: Plan) -> None:
    # given a browser without script, signed in as a viewer
    _history(plan)
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        tab = Visit(context, live_stack)
        tab.sign_in(plan.viewer)
        page = tab.open(plan.path("history/"))
        # when the kind of item "Scoring settings" is chosen and the form sent
        page.get_by_label("Kind of item").select_option("settings")
        page.get_by_role("button", name="Apply filters").click()
        # then the page comes back with the settings change only
        expect(page.get_by_role("list", name="Changes, newest first").locator(":scope > li")).to_have_count(1)
        assert "kind=settings" in page.url
    finally:
        context.close()


def test_the_timeline_reads_on_a_phone(visit: Callable[..., Visit], plan: Plan) -> None:
    _history(plan)
    tab = visit(plan.viewer, phone=True)
    page = tab.open(plan.path("history/"))
    expect(page.get_by_role("list", name="Changes, newest first")).to_contain_text("Check-in cadence (days)")
    tab.screenshot("phone-plan-history")
    overflow = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert overflow["scroll"] <= overflow["width"], overflow
    assert _axe_with_experimental_rules(page) == []
