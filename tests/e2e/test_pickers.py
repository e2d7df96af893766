"""The goal and people pickers in a real browser: as a combobox from the keyboard (the list of matches
open, checked by axe, on a laptop's screen and on a phone's), and without JavaScript as a plain search
form whose Find button shows the matches to choose from. Screenshots: pickers-*.png."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from objectives.models import Task
from tests.e2e.conftest import ACTION_TIMEOUT_MS, Visit, axe_problems
from tests.e2e.pickers import labelled, pick_by_keyboard
from tests.e2e.plan import Plan

# The worker's recompute after a link, then the page's polling (as in the scenarios).
SCORES_TIMEOUT_MS = 20_000


@pytest.fixture
def without_script(browser: Browser, live_stack: str) -> Iterator[Callable[..., Visit]]:
    """without_script(user): a laptop's tab with JavaScript turned off, signed in as `user`."""
    contexts = []

    def open_tab(user: object) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
        contexts.append(context)
        tab = Visit(context, live_stack)
        tab.page.set_default_timeout(ACTION_TIMEOUT_MS)
        tab.sign_in(user)  # type: ignore[arg-type]
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def open_list(page: Page, field: str, typed: str) -> None:
    """Type in the picker labelled `field` and wait for its list of matches."""
    box = page.get_by_role("combobox", name=labelled(field))
    box.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(typed)
    expect(page.get_by_role("listbox", name=f"{field}: matches")).to_be_visible()


def test_an_open_picker_list_passes_axe_on_a_laptop_and_on_a_phone(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given a lead on the new task form, on a laptop and on a phone
    for tab, name in ((visit(plan.lead), "laptop"), (visit(plan.lead, phone=True), "phone")):
        page = tab.open(plan.path(f"tasks/new/?team={plan.team.pk}"))
        # when they type in the assignee picker
        open_list(page, "Assignee", "m")
        # then the team's people are listed first, and the page with its open list has no serious
        # accessibility problem (nor a JavaScript error)
        options = page.get_by_role("listbox", name="Assignee: matches").get_by_role("option")
        expect(options.first).to_contain_text(plan.member_person.name)
        tab.screenshot(f"pickers-task-form-open-{name}")
        assert axe_problems(page) == []
        assert tab.take_errors() == []


def test_escape_closes_the_list_and_keeps_the_choice(visit: Callable[..., Visit], plan: Plan) -> None:
    # given a lead on the edit form of a task assigned to the member
    tab = visit(plan.lead)
    page = tab.open(plan.path(f"tasks/{plan.orphan_task.pk}/edit/"))
    box = page.get_by_role("combobox", name=labelled("Assignee"))
    expect(box).to_have_value(plan.member_person.name)
    # when they type another name, then press Escape twice
    open_list(page, "Assignee", "leo")
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox", name="Assignee: matches")).to_be_hidden()
    page.keyboard.press("Escape")
    # then the list is closed and the box shows the choice again, unchanged
    expect(box).to_have_value(plan.member_person.name)
    expect(page.locator("select[name=assignee]")).to_have_value(str(plan.member_person.pk))


def test_a_search_landing_after_a_choice_leaves_the_list_closed(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given a lead on the new task form, with the assignee picker's list of matches open
    tab = visit(plan.lead)
    page = tab.open(plan.path(f"tasks/new/?team={plan.team.pk}"))
    box = page.get_by_role("combobox", name=labelled("Assignee"))
    listbox = page.get_by_role("listbox", name="Assignee: matches")
    search_path = (page.locator("[data-picker]", has=box).get_attribute("data-picker-url") or "").split("?")[
        0
    ]
    held: list[Route] = []
    page.route(
        re.compile(re.escape(search_path)), lambda route: held.append(route) if holding else route.continue_()
    )
    holding = False
    open_list(page, "Assignee", "m")
    # when they type one more letter, whose search the server is slow to answer, and meanwhile choose
    # the first match already listed from the keyboard
    holding = True
    page.keyboard.type("e")
    deadline = time.monotonic() + ACTION_TIMEOUT_MS / 1000
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the second search never left"
    first = listbox.get_by_role("option").first
    chosen = first.get_attribute("data-value")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    # and the late search's matches then land
    held[0].continue_()
    page.wait_for_load_state("networkidle")
    # then the list stays closed, and the choice stays made
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("select[name=assignee]")).to_have_value(chosen or "")


def test_a_lead_links_a_task_by_keyboard_from_the_bulk_link_of_the_workspace(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given the lead's team workspace
    tab = visit(plan.lead)
    page = tab.open(plan.path(f"teams/{plan.team.pk}/"))
    task = plan.orphan_task.title
    # when they check the orphan task and choose its goal in the bulk link's picker by keyboard
    page.get_by_label(f"Select task {task}").check()
    pick_by_keyboard(
        page, "Goal to link the selected tasks to", "wizard", f"Initiative: {plan.staffed.title}"
    )
    tab.screenshot("pickers-workspace-goal-chosen")
    page.get_by_role("button", name="Link selected tasks").click()
    # then the task is linked, in place, and once the worker has recomputed, the team's alignment
    # counts it (all 8 hours of work aligned)
    expect(page.get_by_role("status").filter(has_text="Linked 1 task")).to_be_visible()
    assert Task.objects.get(pk=plan.orphan_task.pk).initiative_id == plan.staffed.pk
    expect(page.locator("#team-alignment")).to_contain_text("100 / 100", timeout=SCORES_TIMEOUT_MS)


def test_without_javascript_a_lead_finds_a_goal_and_links_a_task(
    without_script: Callable[..., Visit], plan: Plan
) -> None:
    # given the alignment page of a lead, in a browser without JavaScript
    tab = without_script(plan.lead)
    page = tab.open(plan.path("alignment/"))
    task = plan.orphan_task.title
    # when they type part of the goal's title in the row's search box and press Find
    page.get_by_label(f"Goal for “{task}”", exact=True).fill("self-serve")
    page.get_by_role("button", name="Find goals").click()
    # then the link form comes back on a page of its own with the matches to choose from
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Link “{task}” to a goal")
    choice = page.get_by_label(f"Goal for “{task}”: the choice")
    # "Choose a goal…", the child objective and the initiative serving it
    expect(choice.locator("option")).to_have_count(3)
    tab.screenshot("pickers-no-script-found")
    # when they choose it and link
    choice.select_option(label=f"{plan.child.title} (under {plan.root.title})")
    page.get_by_role("button", name=f"Link {task} to a goal").click()
    # then they are back on the alignment page and the task is linked; once the worker has
    # recomputed, the page (read again: no script refreshes it) shows the score counting it
    expect(page.get_by_role("heading", name="Alignment", level=1)).to_be_visible()
    assert Task.objects.get(pk=plan.orphan_task.pk).objective_id == plan.child.pk
    deadline = time.monotonic() + SCORES_TIMEOUT_MS / 1000
    while "100.0" not in page.locator("#alignment-score-value").inner_text() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(page.locator("#alignment-score-value")).to_contain_text("100.0")
    tab.screenshot("pickers-no-script-linked")
