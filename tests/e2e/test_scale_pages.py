"""The strategy map and the resources page of an organization wider than a page, in a real browser,
from the keyboard: a goal found by its title opens the map down to it, a long level shows its next
nodes in place; the resources page draws its heatmap and pages its people and initiatives in place.
Each page is checked with axe and saved as artifacts/screenshots/scale-<page>.png, wide and on a
phone."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from playwright.sync_api import expect

from scoring.services import scores_recompute
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import WIDER_THAN_THE_SCREEN
from tests.factories import AllocationFactory, InitiativeFactory, ObjectiveFactory, PersonFactory


def test_an_executive_finds_a_goal_on_the_map_and_reads_the_rest_of_a_long_level(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given an objective below the boardroom one with 55 initiatives: more than a level's page
    crowded = ObjectiveFactory(
        organization=plan.organization, title="Crowded roadmap", parent=plan.root, team=plan.team
    )
    for n in range(55):
        InitiativeFactory(organization=plan.organization, title=f"Step {n:02d}", objective=crowded)
    scores_recompute(organization_id=plan.organization.pk)
    tab = visit(plan.executive)
    page = tab.open(plan.path("strategy/"))
    # when they search for it from the keyboard
    search = page.get_by_label("Find a goal")
    search.focus()
    page.keyboard.type("crowded")
    page.keyboard.press("Enter")
    # then the map opens down to it: the boardroom objective, then it, marked, with its first 50
    target = page.locator("li.map-target")
    expect(target.get_by_role("link", name="Crowded roadmap", exact=True)).to_be_visible()
    expect(page.get_by_text("The map is opened on")).to_be_visible()
    expect(target.locator("li.map-initiative")).to_have_count(50)
    tab.screenshot("scale-strategy-opened")
    assert not axe_problems(page)
    # when they ask for the rest of the level, from the keyboard
    more = target.get_by_role("link", name="Show the next 5 below “Crowded roadmap”")
    more.focus()
    page.keyboard.press("Enter")
    # then the five come in place, the first of them focused, and nothing more is offered
    expect(target.locator("li.map-initiative")).to_have_count(55)
    expect(page.get_by_role("link", name="Step 50", exact=True)).to_be_focused()
    expect(target.get_by_text("Show the next")).to_have_count(0)
    tab.screenshot("scale-strategy-level-complete")

    # and on a phone the opened map fits the screen
    phone = visit(plan.executive, phone=True)
    phone.open(plan.path(f"strategy/?open=objective-{crowded.pk}"))
    overflow = phone.page.evaluate(WIDER_THAN_THE_SCREEN)
    assert overflow["scroll"] <= overflow["width"], overflow
    phone.screenshot("scale-phone-strategy-opened")


def test_an_executive_reads_who_carries_the_load_and_pages_through_the_people(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given 30 more people, one of them over capacity on the staffed initiative
    for n in range(30):
        PersonFactory(organization=plan.organization, name=f"Helper {n:02d}", team=plan.team)
    over = PersonFactory(
        organization=plan.organization,
        name="Oscar Overload",
        team=plan.team,
        weekly_capacity_hours=Decimal(10),
    )
    AllocationFactory(
        organization=plan.organization, person=over, initiative=plan.staffed, hours_per_week=Decimal(25)
    )
    scores_recompute(organization_id=plan.organization.pk)
    tab = visit(plan.executive)
    page = tab.open(plan.path("resources/"))
    # then the heatmap draws the people who matter first, the one over capacity leading
    heatmap = page.get_by_role("img", name="Load of 25 people")
    expect(heatmap).to_be_visible()
    load = page.locator("#people-load")
    expect(load.locator("tbody tr").first).to_contain_text("Oscar Overload")
    expect(load.locator("tbody tr").first).to_contain_text("Over capacity")
    expect(load.get_by_text("Page 1 of 2")).to_be_visible()
    tab.screenshot("scale-resources")
    assert not axe_problems(page)
    # when they go to the next page of people from the keyboard
    page.evaluate("window.notReloaded = true")
    next_page = load.get_by_role("link", name="Next page")
    next_page.focus()
    page.keyboard.press("Enter")
    # then the people section shows the second page in place, without reloading the page
    expect(page.locator("#people-load").get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.locator("#people-load tbody tr")).to_have_count(10)
    assert page.evaluate("window.notReloaded") is True
    assert "people_page=2" in page.url
    tab.screenshot("scale-resources-people-page-2")

    # when they look at the initiatives of the boardroom objective only
    page = tab.open(plan.path("resources/"))
    page.get_by_role("link", name=f"Its initiatives ({plan.root.title})").click()
    # then the initiatives below it are listed, and the page says so
    expect(
        page.get_by_text(f"The initiatives of {plan.root.title} and the objectives below it.")
    ).to_be_visible()
    expect(page.locator("#initiatives-coverage table.coverage-initiatives tbody tr")).to_have_count(2)
    tab.screenshot("scale-resources-initiatives-of-objective")

    # and on a phone the page, heatmap included, fits the screen (the heatmap scrolls in its box)
    phone = visit(plan.executive, phone=True)
    phone.open(plan.path("resources/"))
    overflow = phone.page.evaluate(WIDER_THAN_THE_SCREEN)
    assert overflow["scroll"] <= overflow["width"], overflow
    phone.screenshot("scale-phone-resources")
