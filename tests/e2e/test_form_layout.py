"""Every form of the app in the one layout, at a laptop's width (1440 px) and a phone's (390 px).

Each form page is opened as the user who would use it; for every visible label[for] the test checks
that the label's box sits directly above its own field (a checkbox or radio button: directly beside
it), with no other field on the label's line and none between the label and its field; and that no
element of a form sticks out of its container sideways, nor the page out of the screen. Each page is
saved as artifacts/screenshots/form-<page>-<width>.png. The import's mapping step (a file with
statuses and an epic the import cannot place) is checked the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from scenarios.models import Scenario
from tests.e2e.conftest import Visit
from tests.e2e.plan import Plan
from tests.e2e.test_accessibility import org_pages
from tests.imports.jira import Issue, jira_export

if TYPE_CHECKING:
    from playwright.sync_api import Browser

WIDTHS = (1440, 390)

# The organization pages that hold a form (a create or edit form, a filter bar, an answer form).
ORG_FORM_PAGES = (
    "objective_create", "objective_edit", "key_result_create", "key_result_edit", "initiative_create",
    "initiative_edit", "task_create", "task_edit", "allocation_create", "allocation_edit",
    "check_in_create", "feedback_create", "feedback_list", "feedback_detail", "recognition_create",
    "team_workspace", "task_import", "alignment", "plan_history", "strategy_map", "settings",
    "settings_team_create", "settings_people", "settings_person_create", "invitation_create",
)  # fmt: skip

# For each visible label[for] of the page's main forms: what is wrong with where it sits (one line
# each). A label is directly above its field: its bottom at or above the field's top, its left edge
# within the field's width, no other field on the label's line, and the first field below it (in
# its column) its own. A checkbox's or radio button's label is beside it on its line, just after it.
LABEL_PROBLEMS = """() => {
    const visible = (el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.name ? "[name=" + el.name + "]" : "");
    const problems = [];
    const forms = [...document.querySelectorAll("main form")];
    for (const form of forms) {
        const controls = [...form.querySelectorAll("input, select, textarea")]
            .filter((el) => el.type !== "hidden" && visible(el));
        for (const label of form.querySelectorAll("label[for]")) {
            if (!visible(label) || label.closest(".visually-hidden")) continue;
            const own = document.getElementById(label.htmlFor);
            const text = JSON.stringify(label.textContent.trim().slice(0, 40));
            if (own === null) { problems.push(`label ${text} names no field (${label.htmlFor})`); continue; }
            if (!visible(own)) continue;  // a field the script replaced: its label names the visible box
            const l = label.getBoundingClientRect();
            const f = own.getBoundingClientRect();
            const sameLine = (a, b) => a.top < b.bottom - 1 && b.top < a.bottom - 1;
            if (own.type === "checkbox" || own.type === "radio") {
                if (label.contains(own)) continue;  // the label wraps its box: beside it by construction
                if (!sameLine(l, f) || l.left < f.right - 1 || l.left - f.right > 24) {
                    problems.push(`label ${text} is not just beside its ${own.type} ${name(own)}`);
                }
                continue;
            }
            if (l.bottom > f.top + 1) problems.push(`label ${text} is not above its field ${name(own)}`);
            if (l.left < f.left - 2 || l.left > f.right) {
                problems.push(`label ${text} is not in the column of its field ${name(own)}`);
            }
            for (const other of controls) {
                if (other === own || own.contains(other) || label.contains(other)) continue;
                const o = other.getBoundingClientRect();
                if (sameLine(l, o)) problems.push(`label ${text} is beside another field ${name(other)}`);
                const between = o.top >= l.bottom - 1 && o.bottom <= f.top + 1;
                const sameColumn = o.left < f.right && f.left < o.right;
                if (between && sameColumn && other.closest(".picker") !== own.closest(".picker")) {
                    problems.push(`label ${text}: another field ${name(other)} sits between it and its own`);
                }
            }
        }
    }
    return problems;
}"""

# Elements of the main forms wider than their container (or further left), or whose content is wider
# than they are, and the page's width against the screen's. A scroll box holds what scrolls in it; a
# visually hidden element is clipped.
OVERFLOW_PROBLEMS = """() => {
    const problems = [];
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (typeof el.className === "string" && el.className
            ? "." + el.className.trim().split(/\\s+/)[0] : "");
    for (const el of document.querySelectorAll("main form *")) {
        const parent = el.parentElement;
        const style = getComputedStyle(el);
        if (["absolute", "fixed"].includes(style.position) || style.display === "none") continue;
        if (["auto", "scroll"].includes(getComputedStyle(parent).overflowX)) continue;
        const box = el.getBoundingClientRect();
        const outer = parent.getBoundingClientRect();
        if (box.width === 0 || outer.width === 0) continue;
        if (box.right > outer.right + 1 || box.left < outer.left - 1) {
            problems.push(`${name(el)} (${Math.round(box.width)} px) sticks out of ${name(parent)}`
                + ` (${Math.round(outer.width)} px)`);
        }
        // Its own text (a long word, say) past its edge.
        const control = ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName);
        const spills = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
        if (!control && spills && style.overflowX === "visible") {
            problems.push(`the content of ${name(el)} is wider than it`
                + ` (${el.scrollWidth} > ${el.clientWidth} px)`);
        }
    }
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
        problems.push(`the page is ${document.documentElement.scrollWidth} px wide on a ${width} px screen`);
    }
    return problems.slice(0, 8);
}"""


@pytest.fixture
def window(browser: Browser, live_stack: str) -> Iterator[Callable[..., Visit]]:
    """window(width, user=None): a new browser context of that width (a phone's below 600 px)."""
    contexts = []

    def open_window(width: int, user: object = None) -> Visit:
        phone = width < 600
        context = browser.new_context(
            viewport={"width": width, "height": 844 if phone else 900},
            device_scale_factor=2 if phone else 1,
            is_mobile=phone,
            has_touch=phone,
        )
        contexts.append(context)
        tab = Visit(context, live_stack)
        if user is not None:
            tab.sign_in(user)  # type: ignore[arg-type]
        return tab

    yield open_window
    for context in contexts:
        context.close()


def layout_problems(tab: Visit, name: str, width: int) -> list[str]:
    """Where the open page's labels and forms go wrong; the page saved as a screenshot."""
    tab.screenshot(f"form-{name}-{width}")
    assert tab.page.locator("main form").count() > 0, f"{name}: no form on the page"
    found = tab.page.evaluate(LABEL_PROBLEMS) + tab.page.evaluate(OVERFLOW_PROBLEMS)
    found += [f"JavaScript error {error}" for error in tab.take_errors()]
    return [f"{name} at {width} px: {problem}" for problem in found]


def check_pages(tab: Visit, pages: dict[str, str], width: int) -> list[str]:
    problems: list[str] = []
    for name, path in pages.items():
        response = tab.page.goto(tab.base_url + path)
        if response is None or response.status != 200:
            problems.append(f"{name} ({path}) answered {response.status if response else None}")
            continue
        problems += layout_problems(tab, name, width)
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_every_form_puts_each_label_directly_above_its_own_field(
    window: Callable[..., Visit], plan: Plan, width: int
) -> None:
    # given an admin of an organization with rows of every kind, a draft scenario, and visitors
    scenario = Scenario.objects.create(organization=plan.organization, name="Hire two engineers")
    pages = org_pages(plan)
    admin_pages = {name: pages[name] for name in ORG_FORM_PAGES} | {
        "task_link": reverse(
            "task_link", kwargs={"org_slug": plan.organization.slug, "pk": plan.orphan_task.pk}
        ),
        "scenarios_new": reverse("scenarios_new", kwargs={"org_slug": plan.organization.slug}),
        "scenarios_detail": reverse(
            "scenarios_detail", kwargs={"org_slug": plan.organization.slug, "pk": scenario.pk}
        ),
        "token_list": reverse("token_list"),
        "password_change": reverse("password_change"),
        "organization_create": reverse("organization_create"),
    }
    anonymous_pages = {
        "login": reverse("login"),
        "signup": reverse("signup"),
        "password_reset": reverse("password_reset"),
    }
    # when each form page is opened at this width
    problems = check_pages(window(width, plan.admin), admin_pages, width)
    problems += check_pages(window(width), anonymous_pages, width)
    # then every label sits directly above (or beside) its own field and nothing sticks out
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_form_showing_its_errors_keeps_each_label_above_its_field(
    window: Callable[..., Visit], plan: Plan, width: int
) -> None:
    # given a lead on the staffing form of an initiative
    tab = window(width, plan.lead)
    tab.open(org_pages(plan)["allocation_create"])
    # when they send it without hours or dates
    tab.page.locator("main form[method=post]").first.evaluate("form => { form.noValidate = true; }")
    tab.page.get_by_role("button", name="Add the allocation").click()
    tab.page.wait_for_load_state()
    # then its errors sit between each label and its field, still one above the other
    assert tab.page.locator("main [aria-invalid=true]").count() > 0
    problems = layout_problems(tab, "allocation_create-errors", width)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_import_mapping_step_puts_each_label_above_its_field(
    window: Callable[..., Visit], plan: Plan, width: int, tmp_path
) -> None:
    # given a lead with a Jira export whose statuses and epic the import cannot place
    export = tmp_path / "jira.csv"
    export.write_text(
        jira_export(
            [
                Issue("PLAT-1", "Checkout revamp", "To Do", "Epic", issue_id="900"),
                Issue("PLAT-2", "Card form", "Awaiting design", parent="900"),
                Issue("PLAT-3", "Receipts", "Parked", parent="900"),
            ]
        )
    )
    tab = window(width, plan.lead)
    page = tab.open(org_pages(plan)["task_import"])
    # when they upload it for a dry run
    page.get_by_label("Jira CSV export, GitHub Issues export or JSON file").set_input_files(str(export))
    page.get_by_label("Jira site").fill("https://acme.atlassian.net/browse/")
    page.get_by_role("button", name="Upload for a dry run").click()
    page.get_by_role("heading", name="Mapping").wait_for()
    # then the mapping step names each status and the epic, each label above its field
    mapping = page.locator("form.teams-import-mapping")
    assert mapping.get_by_text("“Awaiting design” (1 row)").count() == 1
    assert mapping.get_by_text("“Parked” (1 row)").count() == 1
    assert mapping.get_by_text("PLAT-1 · Checkout revamp (Epic) (2 rows)").count() == 1
    problems = layout_problems(tab, "task_import-mapping", width)
    assert not problems, "\n".join(problems)
