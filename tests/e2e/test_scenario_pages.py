"""What-if scenarios in a real browser, against the live server and a real Celery worker.

An executive drafts a scenario that moves hours of Mia's to the unstaffed "Billing revamp", with the
pickers from the keyboard; evaluates it (the worker runs the job, the page polls until it lands) and
sees the resources score rise; lets Rebalance draft a second one and compares the two; applies the
first with a reason and reads it applied, beside the first scores the worker computes after. Every
scenarios page passes axe-core's checks and fits a phone's screen; each is saved as
artifacts/screenshots/scenarios-<page>[-phone].png.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import Page, expect

from resources.models import Allocation
from scenarios.models import Scenario, ScenarioStatus
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.pickers import pick_by_keyboard
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import WIDER_THAN_THE_SCREEN

# The job's pickup and the evaluation; after an apply, the recompute's 2 s countdown and the run.
JOB_TIMEOUT_MS = 20_000
SCORES_TIMEOUT_S = 25


def checked(tab: Visit, name: str, problems: list[str]) -> None:
    """Screenshot the page as it is, and collect its axe problems and uncaught script errors."""
    tab.screenshot(f"scenarios-{name}")
    problems.extend(f"{name}: {problem}" for problem in axe_problems(tab.page))
    problems.extend(f"{name}: JavaScript error {error}" for error in tab.take_errors())


def fits_the_screen(page: Page, name: str, problems: list[str]) -> None:
    overflow = page.evaluate(WIDER_THAN_THE_SCREEN)
    if overflow["scroll"] > overflow["width"]:
        wide = ", ".join(overflow["wide"])
        problems.append(f"{name} is {overflow['scroll']} px wide on a {overflow['width']} px screen: {wide}")


def scores_row(page: Page, label: str) -> list[str]:
    row = page.locator("#evaluation table.scenario-scores tbody tr").filter(
        has=page.get_by_role("rowheader", name=label)
    )
    return [cell.strip() for cell in row.locator("td").all_inner_texts()]


def test_an_executive_drafts_evaluates_compares_and_applies_a_scenario(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    problems: list[str] = []
    source = Allocation.objects.for_org(plan.organization).get(initiative=plan.staffed)
    # given an executive on the scenarios page of a plan where Billing revamp has nobody
    tab = visit(plan.executive)
    page = tab.open(plan.path("scenarios/"))
    expect(page.get_by_role("heading", name="Scenarios", level=1)).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Scenarios")
    ).to_have_attribute("aria-current", "page")
    checked(tab, "list-empty", problems)

    # when they draft a scenario by hand
    page.get_by_role("link", name="New scenario").click()
    checked(tab, "new", problems)
    page.get_by_label("Name").fill("Staff billing")
    page.get_by_label("Description").fill("Billing revamp has nobody on it.")
    page.get_by_role("button", name="Draft the scenario").click()
    expect(page.get_by_role("heading", name="Staff billing", level=1)).to_be_visible()

    # and send the move form with no hours: it is refused beside the form, nothing added
    form = page.locator("form.change-fields")
    form.get_by_role("button", name="Add the change").click()
    expect(page.get_by_text("The change was not added")).to_be_visible()
    expect(page.locator("main [aria-invalid=true]").first).to_be_visible()
    checked(tab, "editor-errors", problems)

    # and move 8 of Mia's 20 hours a week from the onboarding wizard to Billing revamp (keyboard pickers)
    pick_by_keyboard(
        page, "Move hours from the allocation", "mia", "Mia Member on “Onboarding wizard”, 20 h/week"
    )
    pick_by_keyboard(page, "To the initiative", "billing", plan.unstaffed.title)
    page.get_by_label("Hours per week to move").fill("8")
    page.locator("form.change-fields").get_by_label("Why").fill("Billing has nobody")
    page.locator("form.change-fields").get_by_role("button", name="Add the change").click()
    # then the change is listed in words
    changes = page.locator("#changes")
    expect(changes).to_contain_text(
        f"Move 8 h/week of Mia Member from “{plan.staffed.title}” to “{plan.unstaffed.title}”"
    )
    expect(changes).to_contain_text("Why: Billing has nobody")

    # when they choose another kind of change, its fields replace the form in place (htmx)
    page.get_by_label("Kind of change").select_option("person_change")
    expect(page.get_by_label("New weekly capacity (hours)")).to_be_visible()
    page.get_by_label("Kind of change").select_option("hours_move")
    expect(page.get_by_label("Hours per week to move")).to_be_visible()

    # when they evaluate it: the worker runs the job while the page polls
    page.get_by_role("button", name="Evaluate", exact=True).click()
    evaluation = page.locator("#evaluation")
    expect(evaluation.get_by_text("Evaluated.")).to_be_visible(timeout=JOB_TIMEOUT_MS)
    # then baseline and scenario show side by side: resources rises, Billing revamp gets covered
    expect(evaluation).to_contain_text(f"“{plan.unstaffed.title}” goes from 0% to")
    baseline, scenario, _difference = scores_row(page, "Resources")
    assert float(scenario) > float(baseline), (baseline, scenario)
    expect(evaluation.locator("svg[role=img] title").first).to_have_text(
        "Execution health: baseline and scenario"
    )
    checked(tab, "editor-evaluated", problems)

    # when Rebalance drafts a second scenario, and both are compared
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scenarios").click()
    page.get_by_role("button", name="Rebalance").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Rebalance "), level=1)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scenarios").click()
    checked(tab, "list", problems)
    for scenario_row in Scenario.objects.for_org(plan.organization):
        page.get_by_role("checkbox", name=f"Compare {scenario_row.name}").check()
    page.get_by_role("button", name="Compare the checked scenarios").click()
    # then they show side by side, each with its explanation
    expect(page.get_by_role("heading", name="Compare scenarios", level=1)).to_be_visible()
    expect(page.get_by_role("columnheader", name=re.compile("Staff billing"))).to_be_visible()
    expect(page.get_by_role("region", name="Staff billing")).to_contain_text(
        f"“{plan.unstaffed.title}” goes from 0%"
    )
    checked(tab, "compare", problems)

    # when they apply the first with a reason
    page.get_by_role("link", name="Staff billing").first.click()
    page.get_by_label("Why the plan changes").fill("Billing revamp starts this week")
    page.get_by_role("button", name="Apply the scenario").click()
    # then the plan changed, and the scenario reads as applied, with no forms left
    expect(page.get_by_text("is applied: the plan changed")).to_be_visible()
    expect(page.get_by_role("region", name="Applied")).to_contain_text("“Billing revamp starts this week”")
    expect(page.get_by_role("button", name="Apply the scenario")).to_have_count(0)
    assert Allocation.objects.get(pk=source.pk).hours_per_week == Decimal(12)
    assert Allocation.objects.get(initiative=plan.unstaffed).hours_per_week == Decimal(8)
    assert Scenario.objects.get(name="Staff billing").status == ScenarioStatus.APPLIED
    # and once the worker has recomputed, the first scores after it show beside the prediction
    deadline = time.monotonic() + SCORES_TIMEOUT_S
    computed = page.get_by_text("The first scores computed after it was applied")
    while not computed.is_visible() and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    expect(computed).to_be_visible()
    checked(tab, "applied", problems)

    # and on a phone every scenarios page fits the screen and passes axe's checks too
    phone = visit(plan.executive, phone=True)
    applied = Scenario.objects.get(name="Staff billing")
    rebalance = Scenario.objects.exclude(pk=applied.pk).get()
    for name, path in {
        "list": "scenarios/",
        "editor": f"scenarios/{rebalance.pk}/",
        "applied": f"scenarios/{applied.pk}/",
        "compare": f"scenarios/compare/?compare={applied.pk}&compare={rebalance.pk}",
    }.items():
        phone.open(plan.path(path))
        checked(phone, f"{name}-phone", problems)
        fits_the_screen(phone.page, f"{name} on a phone", problems)
    assert not problems, "\n".join(problems)


def test_a_viewer_reads_a_scenario_without_forms(visit: Callable[..., Visit], plan: Plan) -> None:
    # given a drafted scenario, and a viewer
    scenario = Scenario.objects.create(organization=plan.organization, name="Their idea")
    tab = visit(plan.viewer)
    # when they open the list and the scenario
    page = tab.open(plan.path("scenarios/"))
    expect(page.get_by_role("link", name="New scenario")).to_have_count(0)
    page = tab.open(plan.path(f"scenarios/{scenario.pk}/"))
    # then it reads, with no form; a write sent by hand is refused
    expect(page.get_by_text("You can read this scenario")).to_be_visible()
    expect(page.locator("main form[method=post]")).to_have_count(0)
    problems = [f"viewer: {problem}" for problem in axe_problems(page)]
    tab.screenshot("scenarios-viewer")
    assert tab.post(plan.path(f"scenarios/{scenario.pk}/discard/"), {}) == 403
    assert not problems, "\n".join(problems)
