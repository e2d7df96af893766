"""The health page and an objective's page on paper: printed through the browser (print.css), they show
the page, its charts and tables, with a header naming the organization, the page and the scores' time,
and none of the screen's navigation, buttons or forms. Each is saved as a PDF on A4 and on Letter in
artifacts/pdf/, and pictured as printed (print-<page>.png) and on the screen at 1440 and 390 px."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, Visit, axe_problems
from tests.e2e.plan import Plan
from tests.real_services import ROOT

PDFS = ROOT / "artifacts" / "pdf"
# Hidden on paper: what only serves on the screen.
SCREEN_ONLY = (
    ".site-header, nav, form, button, .page-actions, .pagination, .csv-export, .status-bar, .site-footer"
)


def _pages(plan: Plan) -> dict[str, str]:
    return {"health": plan.path(), "objective": plan.path(f"objectives/{plan.child.pk}/")}


def _visible_screen_only(page: Page) -> list[str]:
    """The screen-only elements the page shows (each described by its tag and class)."""
    found: list[str] = page.eval_on_selector_all(
        SCREEN_ONLY,
        """elements => elements
            .filter(element => element.getClientRects().length > 0)
            .map(element => `${element.tagName.toLowerCase()}.${element.className}`)""",
    )
    return found


def test_the_health_and_objective_pages_print_clean(visit: Callable[..., Visit], plan: Plan):
    # given an executive at a laptop, on each page
    tab = visit(plan.executive)
    tab.page.set_viewport_size({"width": 1440, "height": 900})
    PDFS.mkdir(parents=True, exist_ok=True)
    for name, path in _pages(plan).items():
        page = tab.open(path)
        # then on the screen the page offers to print it, and passes axe
        expect(page.get_by_role("button", name="Print / save as PDF")).to_be_visible()
        assert axe_problems(page) == [], name
        tab.screenshot(f"print-screen-{name}")
        # when it is rendered for print
        page.emulate_media(media="print")
        # then the navigation, the buttons, the forms and the pagers are gone
        assert _visible_screen_only(page) == [], name
        # and a header names the organization, the page and when the scores were computed
        header = page.locator(".print-header")
        expect(header).to_be_visible()
        expect(header).to_contain_text("Northwind")
        expect(header.locator(".print-title")).to_have_text(page.locator("main h1").inner_text())
        expect(header).to_contain_text("Scores computed")
        # and the page's content is there, charts and tables included
        assert page.locator("main svg").count() > 0, name
        tab.screenshot(f"print-{name}")
        # and it saves as a PDF on A4 and on Letter
        for paper in ("A4", "Letter"):
            target = PDFS / f"{name}-{paper.lower()}.pdf"
            page.pdf(path=str(target), format=paper, print_background=True)
            assert target.read_bytes().startswith(b"%PDF"), target
        page.emulate_media(media="screen")


def test_the_links_a_reader_follows_print_with_their_address(visit: Callable[..., Visit], plan: Plan):
    # given the objective's page, rendered for print
    tab = visit(plan.executive)
    page = tab.open(_pages(plan)["objective"])
    page.emulate_media(media="print")
    # when the link to its initiative is read
    link = page.locator(".scored-list a").first
    after = link.evaluate("element => getComputedStyle(element, '::after').content")
    # then its whole address follows it
    assert f"{tab.base_url}/o/northwind/initiatives/" in after


def test_the_print_button_opens_the_browsers_print(visit: Callable[..., Visit], plan: Plan):
    # given the health page, with the browser's print dialog replaced by a mark
    tab = visit(plan.executive)
    page = tab.open(_pages(plan)["health"])
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    # when the button is pressed
    page.get_by_role("button", name="Print / save as PDF").click()
    # then the browser was asked to print
    assert page.evaluate("document.body.dataset.printed") == "yes"


def test_the_goal_pages_download_their_tables_on_a_phone_too(visit: Callable[..., Visit], plan: Plan):
    # given a viewer on a phone, on the objective's page
    tab = visit(plan.viewer, phone=True)
    page = tab.open(_pages(plan)["objective"])
    tab.screenshot("print-screen-objective-phone")
    tab.open(_pages(plan)["health"])
    tab.screenshot("print-screen-health-phone")
    page = tab.open(_pages(plan)["objective"])
    # when they follow the tasks' download
    with page.expect_download() as started:
        page.get_by_role("link", name="Download these tasks as CSV").click()
    download = started.value
    # then a CSV of the tasks arrives, named for the organization and the objective
    assert download.suggested_filename.startswith("northwind-ship-self-serve-onboarding-tasks-")
    text = SCREENSHOTS.parent / "downloaded-tasks.csv"
    download.save_as(str(text))
    assert "Design the wizard steps" in text.read_text(encoding="utf-8-sig")
