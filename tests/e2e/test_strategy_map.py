"""The strategy map in a real browser: an executive opens the cascade level by level by mouse and from
the keyboard down to an initiative's tasks, pans across the map by dragging it and with the arrow keys,
and switches to the list view; on a phone the map pans inside its box and the page does not scroll
sideways. Each view is checked with axe and saved as artifacts/screenshots/strategy-*.png at 1440 and
390 px wide."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from objectives.models import ObjectiveStatus
from scoring.services import scores_recompute
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import WIDER_THAN_THE_SCREEN
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, TaskFactory

if TYPE_CHECKING:
    from playwright.sync_api import Browser

WIDE = {"width": 1440, "height": 900}


def wider_plan(plan: Plan) -> None:
    """Below "Ship self-serve onboarding" an objective with two initiatives and their tasks, and two
    more boardroom objectives: a cascade four goals deep, wider than the screen once opened."""
    organization = plan.organization
    activation = ObjectiveFactory(
        organization=organization, title="Activate teams in their first week", parent=plan.child,
        team=plan.team, owner=plan.lead_person, status=ObjectiveStatus.ACTIVE,
    )  # fmt: skip
    for title, hours in (("Guided first project", 30), ("Invite flow", 12)):
        initiative = InitiativeFactory(
            organization=organization, title=title, objective=activation, team=plan.team,
            owner=plan.member_person, estimate_hours=Decimal(hours * 2),
        )  # fmt: skip
        AllocationFactory(
            organization=organization,
            person=plan.lead_person,
            initiative=initiative,
            hours_per_week=Decimal(5),
        )
        TaskFactory(
            organization=organization, initiative=initiative, team=plan.team, effort_hours=Decimal(hours)
        )
        TaskFactory(
            organization=organization, initiative=initiative, team=plan.team, effort_hours=Decimal(4),
            status="done", completed_at=timezone.now(),
        )  # fmt: skip
    for title in ("Expand to Europe", "Keep the platform reliable"):
        ObjectiveFactory(organization=organization, title=title, status=ObjectiveStatus.ACTIVE)
    scores_recompute(organization_id=organization.pk)


def toggle(page: Page, title: str) -> Locator:
    """The button that opens or closes what is below a goal's card."""
    return page.locator(".map-tree .node-toggle").filter(has_text=f"below {title}")


def shown_in(box: Locator, element: Locator) -> bool:
    """Whether the element lies within the box's visible part, across and down."""
    outer, inner = box.bounding_box(), element.bounding_box()
    assert outer is not None
    assert inner is not None
    return (
        outer["x"] <= inner["x"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and outer["y"] <= inner["y"] < outer["y"] + outer["height"]
    )


def scroll_left(viewport: Locator) -> int:
    return int(viewport.evaluate("el => el.scrollLeft"))


def test_an_executive_opens_the_map_level_by_level_pans_it_and_switches_to_the_list(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    wider_plan(plan)
    tab = visit(plan.executive)
    page = tab.page
    page.set_viewport_size(WIDE)
    page = tab.open(plan.path("strategy/"))
    # given the map as it opens: the boardroom objectives, the first one open
    expect(page.get_by_role("link", name="Map", exact=True)).to_have_attribute("aria-current", "page")
    viewport = page.get_by_role("region", name="Objectives and initiatives: the map")
    expect(viewport).to_be_visible()
    expect(toggle(page, "Grow recurring revenue")).to_have_attribute("aria-expanded", "true")
    child_toggle = toggle(page, "Ship self-serve onboarding")
    expect(child_toggle).to_have_attribute("aria-expanded", "false")

    # when the child objective is opened by mouse
    child_toggle.click()
    # then its level comes in place, as cards, and the page did not reload
    expect(child_toggle).to_have_attribute("aria-expanded", "true")
    activation = page.locator(
        ".map-card", has=page.get_by_role("link", name="Activate teams in their first week")
    )
    expect(activation).to_be_visible()
    expect(page.get_by_role("link", name="Onboarding wizard", exact=True)).to_be_visible()

    # when the objective below it is opened from the keyboard, then an initiative's tasks
    activation_toggle = toggle(page, "Activate teams in their first week")
    activation_toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Guided first project", exact=True)).to_be_visible()
    guided = toggle(page, "Guided first project")
    guided.focus()
    page.keyboard.press("Space")
    # then the tasks come summed by class, never one by one
    tasks = page.locator(".map-card-tasks", has_text="Tasks of Guided first project")
    expect(tasks.locator("dd")).to_have_text(["1 task, 30 h", "1 task, 4 h"])
    expect(guided).to_have_attribute("aria-expanded", "true")
    expect(guided).to_be_focused()
    # and the same key closes it again
    page.keyboard.press("Enter")
    expect(tasks).to_be_hidden()
    expect(guided).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(tasks).to_be_visible()

    tab.screenshot("strategy-map-1440")
    assert not axe_problems(page)

    # when the map is dragged to the left with the mouse, from its background
    assert viewport.evaluate("el => el.scrollWidth > el.clientWidth")
    viewport.evaluate("el => el.scrollTo(0, 0)")
    viewport.scroll_into_view_if_needed()
    box = viewport.bounding_box()
    assert box is not None
    start_x, start_y = box["x"] + box["width"] - 12, box["y"] + box["height"] - 12
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x - 150, start_y, steps=5)
    page.mouse.move(start_x - 300, start_y, steps=5)
    page.mouse.up()
    # then the map moved with it, as far as it goes
    furthest = int(viewport.evaluate("el => el.scrollWidth - el.clientWidth"))
    assert furthest > 100
    assert abs(scroll_left(viewport) - min(300, furthest)) <= 2
    # when it is panned back with the arrow keys
    viewport.focus()
    before = scroll_left(viewport)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "([el, before]) => el.scrollLeft < before", arg=[viewport.element_handle(), before]
    )
    page.keyboard.press("Home")
    page.wait_for_function("el => el.scrollLeft === 0", arg=viewport.element_handle())
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=viewport.element_handle())
    # and nothing of the drag opened a goal's page
    assert "/strategy/" in page.url
    tab.screenshot("strategy-map-1440-panned")

    # when the list view is chosen
    page.get_by_role("link", name="List", exact=True).click()
    # then the same goals are a nested list, remembered in the address
    expect(page.get_by_role("link", name="List", exact=True)).to_have_attribute("aria-current", "page")
    assert "view=list" in page.url
    expect(page.locator(".map-viewport")).to_have_count(0)
    summary = page.locator("summary", has_text="Below Ship self-serve onboarding")
    expect(summary).to_be_visible()
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Activate teams in their first week")).to_be_visible()
    tab.screenshot("strategy-list-1440")
    assert not axe_problems(page)


def test_on_a_phone_the_map_pans_in_its_box_and_the_page_does_not_scroll_sideways(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    wider_plan(plan)
    phone = visit(plan.executive, phone=True)
    # given the map opened on an initiative deep in the cascade, found by its title
    page = phone.open(plan.path("strategy/?q=Guided"))
    viewport = page.get_by_role("region", name="Objectives and initiatives: the map")
    target = page.locator(".map-target > .map-card")
    # then its box is scrolled to show it, with its tasks
    expect(target).to_be_visible()
    page.wait_for_function("el => el.scrollLeft > 0", arg=viewport.element_handle())
    assert shown_in(viewport, target)
    expect(page.locator(".map-card-tasks", has_text="Tasks of Guided first project")).to_be_attached()
    # and the page fits the screen while the map is wider than its box
    overflow = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert overflow["scroll"] <= overflow["width"], overflow
    assert viewport.evaluate("el => el.scrollWidth > el.clientWidth")
    phone.screenshot("strategy-map-390")
    assert not axe_problems(page)
    # when it is dragged (a pen or a mouse; a finger scrolls it natively), it pans inside its box
    viewport.evaluate("el => el.scrollTo(0, 0)")
    viewport.scroll_into_view_if_needed()
    box = viewport.bounding_box()
    assert box is not None
    y = box["y"] + 8  # the box's padding, above every card
    page.mouse.move(box["x"] + box["width"] - 8, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, y, steps=8)
    page.mouse.up()
    assert scroll_left(viewport) >= 200
    assert page.evaluate("window.scrollX") == 0
    # and the list view reads on the phone too
    page.get_by_role("link", name="List", exact=True).click()
    expect(page.locator(".strategy-tree").get_by_role("link", name="Guided first project")).to_be_visible()
    overflow = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert overflow["scroll"] <= overflow["width"], overflow
    phone.screenshot("strategy-list-390")


def test_without_javascript_the_list_and_the_map_open_on_the_server(
    browser: Browser, live_stack: str, plan: Plan
) -> None:
    wider_plan(plan)
    context = browser.new_context(viewport=WIDE, java_script_enabled=False)
    try:
        tab = Visit(context, live_stack)
        tab.sign_in(plan.executive)
        # given the list view, in a browser without JavaScript
        page = tab.open(plan.path("strategy/?view=list"))
        # when a closed goal is opened: its <details> offers the list opened on it
        page.locator("summary", has_text="Below Ship self-serve onboarding").click()
        page.get_by_role("link", name="Open the map on Ship self-serve onboarding").click()
        # then the server draws the list opened down to it, still as a list
        assert "view=list" in page.url
        expect(page.get_by_role("link", name="Activate teams in their first week")).to_be_visible()
        # and on the map view each card's button asks the server for the map opened on it
        page = tab.open(plan.path("strategy/"))
        toggle(page, "Ship self-serve onboarding").click()
        expect(page.get_by_role("link", name="Activate teams in their first week")).to_be_visible()
        assert f"open=objective-{plan.child.pk}" in page.url
        toggle(page, "Activate teams in their first week").click()
        expect(page.get_by_role("link", name="Guided first project", exact=True)).to_be_visible()
        tab.screenshot("strategy-map-without-javascript-1440")
    finally:
        context.close()
