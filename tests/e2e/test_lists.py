"""Long lists in the browser: a page at a time from the keyboard, swapped in place, searched on the
server, readable on a phone and with no serious accessibility violation.

Northwind grows here past a page in every list (people, members, feedback, plan history, teams, a
goal's tasks and check-ins, my tasks), so that each pager shows; each page is saved as
lists-<page>.png and phone-lists-<page>.png.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from playwright.sync_api import expect

from objectives.services import objective_update
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import WIDER_THAN_THE_SCREEN
from tests.factories import (
    CheckInFactory,
    FeedbackItemFactory,
    MembershipFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
    UserFactory,
)


def _grow(plan: Plan) -> None:
    """More of every list than a page holds."""
    organization = plan.organization
    for number in range(30):
        TaskFactory(
            organization=organization, objective=plan.child, team=plan.team, assignee=plan.member_person,
            title=f"Onboarding step {number:02}", due_date=date(2030, 1, 1) + timedelta(days=number),
        )  # fmt: skip
        CheckInFactory(
            organization=organization, objective=plan.child, author=plan.lead_person,
            date=date(2029, 1, 1) + timedelta(days=number), note=f"Week {number:02}: on track",
        )  # fmt: skip
        account = UserFactory(username=f"colleague{number:02}")
        MembershipFactory(organization=organization, user=account)
        PersonFactory(organization=organization, user=account, name=f"Colleague {number:02}", team=plan.team)
        TeamFactory(organization=organization, name=f"Squad {number:02}", parent=plan.team)
        FeedbackItemFactory.create_batch(2, organization=organization, kind="idea", text=f"Idea {number:02}")
    TaskFactory.create_batch(20, organization=organization, team=plan.team)  # the workspace's 50 a page
    executive = plan.organization.memberships.get(user=plan.executive)
    for number in range(30):
        objective_update(
            actor=executive, objective=plan.root, data={"title": f"Grow revenue v{number}"}, reason=""
        )


def test_a_lead_pages_and_searches_a_goals_tasks_in_place_from_the_keyboard(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given a goal with 30 tasks and 30 check-ins, and its lead
    _grow(plan)
    tab = visit(plan.lead)
    page = tab.open(plan.path(f"objectives/{plan.child.pk}/"))
    tasks = page.locator("#goal-tasks")
    check_ins = page.locator("#goal-check-ins")
    expect(check_ins).to_contain_text("Week 29: on track")
    # when they move the check-ins to their next page, then the tasks, from the keyboard
    check_ins.get_by_role("link", name="Older check-ins").focus()
    page.keyboard.press("Enter")
    expect(check_ins).to_contain_text("Week 19: on track")
    tasks.get_by_role("navigation", name="Pages of tasks").get_by_role("link", name="Next page").focus()
    page.keyboard.press("Enter")
    # then the tasks moved on in place, the check-ins still on their second page
    expect(tasks.get_by_role("table")).to_contain_text("(continued)")
    expect(tasks).to_contain_text("Onboarding step 25")
    expect(tasks).not_to_contain_text("Onboarding step 24")
    expect(check_ins).to_contain_text("Week 19: on track")
    # and the address says where both are (a reload or a shared link shows the same), the focus stays
    # in the tasks' pager
    assert "tasks_cursor=" in page.url
    assert "check_ins_cursor=" in page.url
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("goal-tasks-"), focused
    tab.screenshot("lists-objective_detail-page2")
    # when they search the tasks for "step 07" and press Enter in the search box
    tasks.get_by_label("Title or key contains").fill("step 07")
    page.keyboard.press("Enter")
    # then only that task is listed, the check-ins untouched
    expect(tasks.get_by_role("table")).to_contain_text("Onboarding step 07")
    expect(tasks.get_by_role("row")).to_have_count(2)  # the header and the one task
    expect(check_ins).to_contain_text("Week 19: on track")
    assert not axe_problems(page), axe_problems(page)
    tab.screenshot("lists-objective_detail-search")


def test_every_long_list_shows_its_pager_and_passes_the_checks_wide_and_on_a_phone(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given lists longer than a page, an admin on a laptop and on a phone
    _grow(plan)
    member_work = visit(plan.member)
    pages = {
        "settings_people": (plan.path("settings/people/"), "Pages of people"),
        "settings_members": (plan.path("settings/members/"), "Pages of members"),
        "settings_teams": (plan.path("settings/teams/"), "Pages of teams"),
        "teams": (plan.path("teams/"), "Pages of teams"),
        "team_workspace": (plan.path(f"teams/{plan.team.pk}/"), "Pages of tasks"),
        "feedback_list": (plan.path("feedback/"), "Pages of feedback"),
        "plan_history": (plan.path("history/"), "Pages of the plan history"),
    }
    problems: list[str] = []
    for tab_of in (visit(plan.admin), visit(plan.admin, phone=True)):
        phone = tab_of.page.viewport_size == {"width": 390, "height": 844}
        for name, (path, label) in pages.items():
            page = tab_of.open(path)
            # when each list is opened and its next page followed
            pager = page.get_by_role("navigation", name=label)
            expect(pager).to_be_visible()
            pager.get_by_role("link").last.click()
            page.wait_for_load_state()
            tab_of.screenshot(f"{'phone-' if phone else ''}lists-{name}")
            # then the page is checked: no serious violation, and nothing sticks out of a phone's screen
            problems += [f"{name}: {problem}" for problem in axe_problems(page)]
            if phone:
                overflow = page.evaluate(WIDER_THAN_THE_SCREEN)
                if overflow["scroll"] > overflow["width"]:
                    problems.append(f"{name} is {overflow['scroll']} px wide: {overflow['wide']}")
    # and the member's own tasks are paged in place on my work
    page = member_work.open(plan.path("me/"))
    mine = page.locator("#my-tasks")
    mine.get_by_role("link", name="Next page").click()
    expect(mine.get_by_role("table")).to_contain_text("(continued)")
    member_work.screenshot("lists-my_work-page2")
    problems += [f"my work: {problem}" for problem in axe_problems(page)]
    assert not problems, "\n".join(problems)
