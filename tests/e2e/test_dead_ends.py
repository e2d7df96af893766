"""Dead ends closed, in a real browser: the home page logs no console error, my work has no accessible
name that contradicts its visible label, a refusal is a page that says why, a new organization's
resources page says nothing is planned yet, the staffing picker shows each person's load, and an
invitation asks before it is revoked. Each page is saved at 1440 and 390 px wide
(artifacts/screenshots/dead-ends-*.png)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Invitation
from execgap.models import Role
from scoring.services import scores_recompute
from tests.e2e.conftest import AXE_SCRIPT, Visit, axe_problems
from tests.e2e.plan import Plan
from tests.factories import AllocationFactory, InvitationFactory, MembershipFactory, OrganizationFactory

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}

AXE_EXPERIMENTAL = """async () => {
    const experimental = axe.getRules(["experimental"]);
    const rules = Object.fromEntries(experimental.map((rule) => [rule.ruleId, {enabled: true}]));
    const result = await axe.run(document, {resultTypes: ["violations"], rules});
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): `
        + violation.nodes.map((node) => node.target.join(" ")).join("; "));
}"""


def every_violation(page: Page) -> list[str]:
    """Every violation axe finds, whatever its impact, its experimental rules included."""
    page.evaluate(AXE_SCRIPT.read_text())
    found: list[str] = page.evaluate(AXE_EXPERIMENTAL)
    return found


def both_widths(tab: Visit, name: str) -> None:
    """Save the page at a laptop's and a phone's width."""
    for label, size in (("1440", WIDE), ("390", PHONE)):
        tab.page.set_viewport_size(size)
        tab.screenshot(f"dead-ends-{name}-{label}")
    tab.page.set_viewport_size(WIDE)


def test_the_home_page_logs_nothing_in_the_console(visit: Callable[..., Visit], plan: Plan) -> None:
    # given an executive, and every message the browser's console receives
    tab = visit(plan.executive)
    messages: list[str] = []
    failed: list[str] = []
    tab.page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    tab.page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    # when they open the home page (it leads to the organization's health) and it settles
    page = tab.open("/")
    page.wait_for_load_state("networkidle")
    # then the console holds no error nor warning, and nothing the page asked for failed
    assert failed == []
    assert [message for message in messages if message.startswith(("error", "warning"))] == []
    assert "/o/northwind/" in page.url


def test_my_work_names_every_control_as_it_reads(visit: Callable[..., Visit], plan: Plan) -> None:
    # given the member, who owns an initiative with a check-in due and has tasks and feedback
    tab = visit(plan.member)
    # when they open my work
    page = tab.open(plan.path("me/"))
    # then no control's accessible name contradicts its visible label (nor any other rule fails)
    violations = every_violation(page)
    assert [v for v in violations if v.startswith("label-content-name-mismatch")] == []
    assert axe_problems(page) == []
    both_widths(tab, "my-work")


def test_a_viewer_refused_a_form_reads_why_and_where_to_go(visit: Callable[..., Visit], plan: Plan) -> None:
    # given a viewer on the strategy map
    tab = visit(plan.viewer)
    came_from = tab.open(plan.path("strategy/")).url
    # when they open the form of a new objective
    page = tab.page
    response = page.goto(tab.base_url + plan.path("objectives/new/"), referer=came_from)
    assert response is not None
    assert response.status == 403
    # then the page, in the site's layout, says why, who may, whom to ask and the way back
    expect(page.get_by_role("heading", level=1)).to_have_text("You can\u2019t do this here")
    expect(page.get_by_role("alert")).to_contain_text("Your role (viewer) may not create objectives here.")
    expect(page.get_by_role("alert")).to_contain_text("This is open to team leads, executives and admins.")
    expect(page.get_by_role("alert")).to_contain_text("ask an admin of Northwind: ada")
    expect(page.get_by_role("link", name="Back to the page you came from")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_attached()
    assert axe_problems(page) == []
    both_widths(tab, "forbidden")


def test_a_new_organizations_resources_page_says_nothing_is_planned_yet(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given the admin of a new, empty organization
    fresh = OrganizationFactory(slug="fresh", name="Fresh")
    MembershipFactory(organization=fresh, user=plan.admin, role=Role.ADMIN)
    scores_recompute(organization_id=fresh.pk)
    tab = visit(plan.admin)
    # when they open its resources page
    page = tab.open("/o/fresh/resources/")
    # then it says nobody is allocated yet, with the way to staff an initiative
    expect(page.get_by_text("Nobody is allocated to an initiative yet")).to_be_visible()
    expect(page.get_by_role("link", name="Staff an initiative")).to_be_visible()
    expect(page.get_by_text("Every current allocation")).to_have_count(0)
    assert axe_problems(page) == []
    both_widths(tab, "resources-new-organization")


def test_the_staffing_picker_shows_each_persons_load_and_flags_over_capacity(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given the member over capacity (20 h allocated already, 30 more now, of 40)
    AllocationFactory(
        organization=plan.organization, person=plan.member_person, initiative=plan.unstaffed,
        hours_per_week=Decimal(30),
    )  # fmt: skip
    tab = visit(plan.lead)
    page = tab.open(plan.path(f"allocations/new/?initiative={plan.unstaffed.pk}"))
    # when the lead types in the person picker
    box = page.get_by_role("combobox", name="Person")
    box.focus()
    page.keyboard.type("mi")
    listbox = page.get_by_role("listbox", name="Person: matches")
    # then the member is offered with their team and load, flagged over capacity
    option = listbox.get_by_role("option", name="Mia Member")
    expect(option).to_contain_text("team Platform · 50 of 40 h/week")
    expect(option).to_contain_text("over capacity")
    both_widths(tab, "staffing-picker")


def test_an_admin_confirms_before_an_invitation_is_revoked(visit: Callable[..., Visit], plan: Plan) -> None:
    # given a pending invitation
    invitation = InvitationFactory(
        organization=plan.organization, email="sam@example.com", invited_by=plan.admin
    )
    tab = visit(plan.admin)
    page = tab.open(
        reverse("invitation_create", kwargs={"org_slug": plan.organization.slug}) + "?status=pending"
    )
    both_widths(tab, "invitations-pending")
    # when the admin follows Revoke
    page.get_by_role("link", name="Revoke the invitation of sam@example.com").click()
    # then a page asks first; confirmed, the invitation is revoked
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the invitation of sam@example.com")
    assert axe_problems(page) == []
    both_widths(tab, "invitation-revoke")
    page.get_by_role("button", name="Revoke the invitation").click()
    expect(page.get_by_text("is revoked: its link no longer works")).to_be_visible()
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_a_refused_htmx_request_shows_the_reason_at_the_top_of_the_page(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given a viewer on the strategy map
    tab = visit(plan.viewer)
    page = tab.open(plan.path("strategy/"))
    # when a request of the page (htmx, as a form's would be) asks for what their role may not do
    page.evaluate(
        """(url) => htmx.ajax("POST", url, {source: document.body, target: "#main", swap: "none"})""",
        plan.path("objectives/new/"),
    )
    # then the reason appears at the top of the page's content, the page itself left as it was
    notice = page.locator("#main > #forbidden-notice")
    expect(notice).to_contain_text("Your role (viewer) may not create objectives here.")
    expect(notice).to_have_attribute("role", "alert")
    expect(page.get_by_role("heading", level=1, name="Strategy map")).to_be_visible()
