"""Every page passes axe-core's checks with no serious or critical violation.

Each page is opened in Chromium as the user who would use it (an admin for the organization's pages,
an anonymous visitor for login, sign-up and password reset, a user without an organization for the
welcome page); axe-core (node_modules, from `npm ci`) is injected and run on it. A page that does not
answer 200 is a problem too. All problems of a group are listed at once. Each page is saved as
artifacts/screenshots/a11y-<page>.png. The main pages are also read on a phone's screen: nothing may
stick out sideways (wide tables scroll inside their own box), saved as phone-<page>.png.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from playwright.sync_api import expect

from resources.models import Allocation
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.plan import Plan


def org_pages(plan: Plan) -> dict[str, str]:
    """Every organization page of the web contract, by URL name, with rows of the plan where needed."""

    def url(name: str, **kwargs: object) -> str:
        return reverse(name, kwargs={"org_slug": plan.organization.slug, **kwargs})

    allocation = Allocation.objects.for_org(plan.organization).get(initiative=plan.staffed)

    return {
        "health": url("health"),
        "strategy_map": url("strategy_map"),
        "objective_detail": url("objective_detail", pk=plan.child.pk),
        "initiative_detail": url("initiative_detail", pk=plan.staffed.pk),
        "alignment": url("alignment"),
        "resources": url("resources"),
        "teams": url("teams"),
        "team_workspace": url("team_workspace", pk=plan.team.pk),
        "task_import": url("task_import", pk=plan.team.pk),
        "my_work": url("my_work"),
        "plan_history": url("plan_history"),
        "objective_create": url("objective_create"),
        "objective_edit": url("objective_edit", pk=plan.child.pk),
        "key_result_create": url("key_result_create", objective_pk=plan.child.pk),
        "key_result_edit": url("key_result_edit", pk=plan.key_result.pk),
        "initiative_edit": url("initiative_edit", pk=plan.staffed.pk),
        "task_edit": url("task_edit", pk=plan.aligned_task.pk),
        "allocation_edit": url("allocation_edit", pk=allocation.pk),
        "initiative_create": url("initiative_create"),
        "task_create": url("task_create"),
        "allocation_create": url("allocation_create") + f"?initiative={plan.unstaffed.pk}",
        "check_in_create": url("check_in_create") + f"?key_result={plan.key_result.pk}",
        "feedback_list": url("feedback_list"),
        "feedback_create": url("feedback_create") + "?kind=blocker",
        "feedback_detail": url("feedback_detail", pk=plan.blocker.pk),
        "recognition_create": url("recognition_create"),
        "settings": url("settings"),
        "settings_teams": url("settings_teams"),
        "settings_team_create": url("settings_team_create"),
        "settings_people": url("settings_people"),
        "settings_person_create": url("settings_person_create"),
        "settings_members": url("settings_members"),
        "invitation_create": url("invitation_create"),
    }


def check_pages(tab: Visit, pages: dict[str, str]) -> list[str]:
    """Open each page, screenshot it and run axe on it; the problems found, one line each."""
    problems: list[str] = []
    for name, path in pages.items():
        response = tab.page.goto(tab.base_url + path)
        status = response.status if response is not None else None
        tab.screenshot(f"a11y-{name}")
        if status != 200:
            problems.append(f"{name} ({path}) answered {status}")
            continue
        problems += [f"{name} ({path}): {problem}" for problem in axe_problems(tab.page)]
        problems += [f"{name} ({path}): JavaScript error {error}" for error in tab.take_errors()]
    return problems


def test_every_organization_page_has_no_serious_accessibility_violation(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given an admin of an organization with rows of every kind and computed scores
    tab = visit(plan.admin)
    # when every organization page and the account pages are opened and checked
    pages = org_pages(plan) | {
        "token_list": reverse("token_list"),
        "password_change": reverse("password_change"),
        "organization_create": reverse("organization_create"),
    }
    problems = check_pages(tab, pages)
    # then none answers other than 200 or has a serious or critical violation
    assert not problems, "\n".join(problems)


def test_the_pages_of_anonymous_visitors_and_the_welcome_page_have_no_serious_violation(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given an anonymous visitor and a signed-in user who belongs to no organization yet
    anonymous = visit()
    newcomer = visit(plan.newcomer)
    # when they open the login, sign-up and password reset pages, and the home (welcome) page
    problems = check_pages(
        anonymous,
        {
            "login": reverse("login"),
            "signup": reverse("signup"),
            "password_reset": reverse("password_reset"),
        },
    )
    problems += check_pages(newcomer, {"welcome": reverse("home")})
    # then none has a serious or critical violation
    assert not problems, "\n".join(problems)


# How wide the page is, and the first elements that stick out past the screen's right edge.
WIDER_THAN_THE_SCREEN = """() => {
    const width = document.documentElement.clientWidth;
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "");
    // Inside a scroll box an element scrolls with it, unless it is positioned out of it (an absolute
    // element whose box is not positioned escapes its clipping: a visually hidden label, say).
    const inScrollBox = (el) => el.parentElement.closest(".table-scroll") !== null
        && !["absolute", "fixed"].includes(getComputedStyle(el).position);
    const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > width + 1 && !inScrollBox(el))
        .map(name);
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def test_the_main_pages_fit_a_phone_screen(visit: Callable[..., Visit], plan: Plan) -> None:
    # given a lead on a phone (390 CSS pixels wide)
    tab = visit(plan.lead, phone=True)
    pages = {
        name: path
        for name, path in org_pages(plan).items()
        if name in {"health", "strategy_map", "alignment", "resources", "team_workspace", "my_work"}
    } | {"allocation_create": org_pages(plan)["allocation_create"]}
    # when each main page is opened
    problems: list[str] = []
    for name, path in pages.items():
        response = tab.page.goto(tab.base_url + path)
        tab.screenshot(f"phone-{name}")
        if response is None or response.status != 200:
            problems.append(f"{name} ({path}) answered {response.status if response else None}")
            continue
        # then the page is no wider than the screen (a wide table scrolls inside its own box)
        overflow = tab.page.evaluate(WIDER_THAN_THE_SCREEN)
        if overflow["scroll"] > overflow["width"]:
            problems.append(
                f"{name} ({path}) is {overflow['scroll']} px wide on a {overflow['width']} px screen;"
                f" wider than the screen: {', '.join(overflow['wide'])}"
            )
    assert not problems, "\n".join(problems)


def test_forms_showing_their_errors_or_a_saved_message_have_no_serious_accessibility_violation(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given an admin on the create forms
    tab = visit(plan.admin)
    pages = org_pages(plan)
    problems: list[str] = []
    forms = ("objective_create", "initiative_create", "task_create", "allocation_create", "feedback_create")
    for name in forms:
        tab.open(pages[name])
        # when they send the form empty (past the browser's own checks of required fields)
        form = tab.page.locator("main form[method=post]").first
        form.evaluate("form => { form.noValidate = true; }")
        with tab.page.expect_response(lambda response: response.request.method == "POST") as sent:
            form.locator("[type=submit]").first.click()
        tab.page.wait_for_load_state()
        tab.screenshot(f"a11y-{name}-errors")
        # then it is refused (400) with its errors shown, and they too pass axe's checks
        if sent.value.status != 400:
            problems.append(f"{name}: an empty form answered {sent.value.status}, not 400")
        if tab.page.locator("main [aria-invalid=true]").count() == 0:
            problems.append(f"{name}: no field is marked invalid (aria-invalid) after an empty post")
        problems += [f"{name} with errors: {problem}" for problem in axe_problems(tab.page)]
    # when a form is saved, then the page it leads to, with its message, passes axe's checks too
    page = tab.open(pages["check_in_create"])
    page.get_by_label("Confidence (0 to 10)").fill("5")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("main").get_by_text("Check-in saved")).to_be_visible()
    tab.screenshot("a11y-check_in_saved")
    problems += [f"the page after a saved check-in: {problem}" for problem in axe_problems(page)]
    assert not problems, "\n".join(problems)
