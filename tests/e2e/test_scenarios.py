"""What each kind of user does in ExecGap, end to end in a real browser (issue: the web app).

The live server and a real Celery worker share the test database and a throwaway Redis: a change made
in the browser marks the scores stale, the worker recomputes them and the page's numbers refresh in
place. Every page shown is saved as artifacts/screenshots/<scenario>-<page>.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from execgap.models import Membership, Role
from feedback.models import CheckIn, FeedbackItem, FeedbackKind, FeedbackStatus
from objectives.models import Objective, Task
from resources.models import Allocation
from scoring.models import ScoreSnapshot
from tests.e2e.conftest import Visit
from tests.e2e.pickers import labelled, pick_by_keyboard
from tests.e2e.plan import PASSWORD, Plan

PASSWORD_LABEL = re.compile(r"^Password:?$")
# The worker's recompute: a 2 s coalescing countdown, the computation, then the page's 2 s polling.
SCORES_TIMEOUT_MS = 20_000


def score_text(value: float | None) -> str:
    """A score as the pages print it: one decimal, or a dash when it is not defined."""
    return "—" if value is None else f"{value:.1f}"


def percent(text: str) -> int:
    found = re.search(r"(\d+)%", text)
    assert found, f"no percentage in {text!r}"
    return int(found.group(1))


def test_an_executive_logs_in_and_reads_health_and_the_strategy_map(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given an executive of an organization whose scores are computed
    snapshot = ScoreSnapshot.objects.for_org(plan.organization).latest("computed_at")
    tab = visit()
    page = tab.open(reverse("login"))
    tab.screenshot("executive-login")
    # when they log in through the login form
    page.get_by_label("Username").fill(plan.executive.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # then they land on the health page, with the four scores as the snapshot says
    expect(page.get_by_role("heading", name="Execution health", level=1)).to_be_visible()
    assert page.url.endswith(plan.path())
    scores = {
        "Alignment": snapshot.alignment,
        "Resources": snapshot.resources,
        "Adaptability": snapshot.adaptability,
        "People": snapshot.people,
    }
    for label, value in scores.items():
        card = page.get_by_role("region", name=label, exact=True)
        expect(card).to_be_visible()
        expect(card.locator(".score-number")).to_have_text(score_text(value))
    tab.screenshot("executive-health")

    # when they open the strategy map, all collapsed, and expand the boardroom objective (keyboard)
    page.get_by_role("link", name="Open the strategy map").click()
    expect(page.get_by_role("heading", name="Strategy map", level=1)).to_be_visible()
    # (in its list view: the nested list that keyboards and screen readers read)
    page.get_by_role("link", name="List", exact=True).click()
    page.get_by_role("link", name="Collapse all").click()
    child_link = page.get_by_role("link", name=plan.child.title, exact=True)
    expect(child_link).to_be_hidden()
    page.get_by_text(f"Below {plan.root.title}").focus()  # from the keyboard
    page.keyboard.press("Enter")
    # then the objective below it shows, and leads to its page
    expect(child_link).to_be_visible()
    tab.screenshot("executive-strategy-map")
    child_link.click()
    expect(page.get_by_role("heading", name=plan.child.title, level=1)).to_be_visible()
    tab.screenshot("executive-objective")


def test_a_lead_links_an_orphan_task_and_sees_the_alignment_score_change_without_reloading(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given the alignment page of a lead: 6 of 8 hours aligned, alignment 75
    tab = visit(plan.lead)
    page = tab.open(plan.path("alignment/"))
    score = page.locator("#alignment-score-value")
    expect(score).to_contain_text("75.0")
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again
    tab.screenshot("lead-alignment")
    # when they link the orphan task to the child objective, in place, from the keyboard: the row's
    # goal picker finds it by part of its title (the page lists no goal until asked)
    task = plan.orphan_task.title
    field = f"Goal for “{task}”"
    expect(page.locator(f"#task-{plan.orphan_task.pk} option")).to_have_count(1)  # "Choose a goal…"
    child_label = f"{plan.child.title} (under {plan.root.title})"
    pick_by_keyboard(page, field, "self-serve", child_label)
    expect(page.get_by_role("combobox", name=labelled(field))).to_have_value(child_label)
    tab.screenshot("lead-alignment-goal-chosen")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=f"Link {task} to a goal")).to_be_focused()
    page.keyboard.press("Enter")
    # then its row says so, the worker recomputes and the score refreshes to 100 on the same page
    expect(page.get_by_role("row", name=task).get_by_role("status")).to_contain_text("Linked to")
    expect(score).to_contain_text("100.0", timeout=SCORES_TIMEOUT_MS)
    assert page.evaluate("window.notReloaded") is True
    assert Task.objects.get(pk=plan.orphan_task.pk).objective_id == plan.child.pk
    tab.screenshot("lead-alignment-linked")


def test_a_lead_staffs_an_unstaffed_initiative_and_sees_its_coverage_rise(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given the lead's team workspace, where Billing revamp is unstaffed (coverage 0%)
    tab = visit(plan.lead)
    workspace = plan.path(f"teams/{plan.team.pk}/")
    page = tab.open(workspace)
    coverage = page.locator(f"#initiative-{plan.unstaffed.pk}-coverage")
    expect(coverage).to_contain_text("Coverage: 0%")
    tab.screenshot("lead-staffing-workspace")
    # when they add an allocation of Mia, 20 hours a week, through the allocation form
    page.get_by_role("link", name=f"Add an allocation to {plan.unstaffed.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add an allocation")
    pick_by_keyboard(page, "Person", "mia", plan.member_person.name)
    page.get_by_label("Hours per week").fill("20")
    tab.screenshot("lead-staffing-allocation-form")
    page.get_by_role("button", name="Add the allocation").click()
    # then they are back on the workspace and, once the worker has recomputed, its coverage has risen
    expect(page.get_by_role("heading", name=plan.team.name, level=1)).to_be_visible()
    assert page.url.endswith(workspace)
    expect(coverage).not_to_contain_text("Coverage: 0%", timeout=SCORES_TIMEOUT_MS)
    assert percent(coverage.inner_text()) > 0
    assert Allocation.objects.filter(initiative=plan.unstaffed, person=plan.member_person).exists()
    tab.screenshot("lead-staffing-covered")


def test_a_member_checks_in_and_raises_a_blocker_that_the_lead_acknowledges(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given a member on their work page, with a check-in due on their initiative
    member = visit(plan.member)
    page = member.open(plan.path("me/"))
    member.screenshot("member-my-work")
    # when they check in on it: confidence 6 and a note
    due = page.get_by_role("region", name="Check-ins due")
    # the first link: the item due (the section also lists it among the goals their tasks serve)
    due.get_by_role("link", name=f"Check in on initiative {plan.staffed.title}").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(plan.staffed.title)
    page.get_by_label("Confidence (0 to 10)").fill("6")
    page.get_by_label("Note").fill("The first two steps work end to end.")
    member.screenshot("member-check-in-form")
    page.get_by_role("button", name="Check in").click()
    # then the check-in is stored as theirs
    expect(page.locator("main").get_by_role("status")).to_contain_text("Check-in saved")
    check_in = CheckIn.objects.get(initiative=plan.staffed, author=plan.member_person)
    assert check_in.confidence == 6

    # when they raise a blocker about the initiative
    page = member.open(plan.path("me/"))
    page.get_by_role("link", name="Raise blocker").click()
    expect(page.get_by_role("heading", name="Raise a blocker", level=1)).to_be_visible()
    expect(page.get_by_label("Kind")).to_have_value(FeedbackKind.BLOCKER)
    page.get_by_label("What is it?").fill("The payment sandbox rejects every test card.")
    pick_by_keyboard(page, "About initiative", "wizard", plan.staffed.title)
    member.screenshot("member-blocker-form")
    page.get_by_role("button", name="Raise blocker").click()
    # then it is open, raised by them
    blocker = FeedbackItem.objects.get(text__startswith="The payment sandbox")
    assert (blocker.kind, blocker.status, blocker.author_id) == (
        FeedbackKind.BLOCKER, FeedbackStatus.OPEN, plan.member_person.pk,
    )  # fmt: skip
    member.screenshot("member-blocker-raised")

    # when the team's lead opens it and acknowledges it
    lead = visit(plan.lead)
    page = lead.open(plan.path(f"feedback/{blocker.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Blocker")
    lead.screenshot("lead-blocker")
    page.get_by_role("button", name="Acknowledge").click()
    # then the page says so and the blocker is acknowledged
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acknowledged")
    blocker.refresh_from_db()
    assert blocker.status == FeedbackStatus.ACKNOWLEDGED
    assert blocker.acknowledged_at is not None
    lead.screenshot("lead-blocker-acknowledged")


def write_controls(page: Page) -> list[str]:
    """The ways the page offers to change something: forms that post, htmx writes, and links to a
    create, change, delete or link page. One line each."""
    main = page.locator("main")
    found = [
        f"{page.url}: a form posting to {control.get_attribute('action') or control.get_attribute('hx-post')}"
        for control in main.locator(
            "form[method=post], form[method=POST], [hx-post], [hx-put], [hx-patch], [hx-delete]"
        ).all()
    ]
    found += [
        f"{page.url}: a link to {link.get_attribute('href')}"
        for link in main.locator(
            "a[href*='/new/'], a[href*='/edit/'], a[href*='/delete/'], a[href*='/link/'], a[href*='/import/']"
        ).all()
    ]
    return found


def test_a_viewer_sees_the_pages_but_cannot_change_anything(visit: Callable[..., Visit], plan: Plan) -> None:
    # given a viewer
    tab = visit(plan.viewer)
    pages = {
        "health": plan.path(),
        "strategy-map": plan.path("strategy/"),
        "objective": plan.path(f"objectives/{plan.child.pk}/"),
        "initiative": plan.path(f"initiatives/{plan.staffed.pk}/"),
        "alignment": plan.path("alignment/"),
        "resources": plan.path("resources/"),
        "teams": plan.path("teams/"),
        "team": plan.path(f"teams/{plan.team.pk}/"),
        "my-work": plan.path("me/"),
        "feedback-list": plan.path("feedback/"),
        "feedback": plan.path(f"feedback/{plan.blocker.pk}/"),
    }
    # when they open the pages, then each shows and none offers a way to change something
    problems: list[str] = []
    for name, path in pages.items():
        response = tab.page.goto(tab.base_url + path)
        tab.screenshot(f"viewer-{name}")
        if response is None or response.status != 200:
            problems.append(f"{path} answered {response.status if response else None}")
            continue
        problems += write_controls(tab.page)
    # when they post the forms anyway, then each is refused (403) and nothing changes
    posts = {
        plan.path(f"tasks/{plan.orphan_task.pk}/link/"): {"goal": f"objective:{plan.child.pk}"},
        plan.path("objectives/new/"): {"title": "A viewer's objective", "status": "active"},
        plan.path("allocations/new/"): {
            "initiative": str(plan.unstaffed.pk), "person": str(plan.member_person.pk),
            "hours_per_week": "10",
        },
        plan.path("check-ins/new/"): {"initiative": str(plan.staffed.pk), "confidence": "3"},
        plan.path("feedback/new/"): {"kind": "blocker", "text": "A viewer's blocker"},
        plan.path(f"feedback/{plan.blocker.pk}/acknowledge/"): {
            "expected_version": str(plan.blocker.version),
        },
    }  # fmt: skip
    tab.open(plan.path())  # a page of the site: its CSRF token goes with the posts
    for path, data in posts.items():
        status = tab.post(path, data)
        if status != 403:
            problems.append(f"POST {path} answered {status}, not 403")
    assert not problems, "\n".join(problems)
    assert Task.objects.get(pk=plan.orphan_task.pk).objective_id is None
    assert not Objective.objects.filter(title="A viewer's objective").exists()
    assert not Allocation.objects.filter(initiative=plan.unstaffed).exists()
    assert CheckIn.objects.count() == 1
    assert FeedbackItem.objects.get().status == FeedbackStatus.OPEN


def test_a_new_user_signs_up_creates_an_organization_and_a_colleague_joins_by_the_emailed_link(
    visit: Callable[..., Visit], live_stack: str
) -> None:
    # given a visitor with no account
    founder = visit()
    page = founder.open(reverse("signup"))
    founder.screenshot("signup-form")
    # when they sign up and create their organization
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label(PASSWORD_LABEL).fill("correct-horse-battery-9")
    page.get_by_label("Password again").fill("correct-horse-battery-9")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Create your organization", level=1)).to_be_visible()
    page.get_by_label("Organization name").fill("Contoso")
    page.get_by_label("Short address").fill("contoso")
    founder.screenshot("signup-organization")
    page.get_by_role("button", name="Create organization").click()
    # then they are its admin, on its (empty) home page
    expect(page.get_by_role("heading", name="Execution health", level=1)).to_be_visible()
    assert Membership.objects.get(user__username="sam", organization__slug="contoso").role == Role.ADMIN
    founder.screenshot("signup-health")

    # when they invite a colleague by email as a member
    page = founder.open(reverse("invitation_create", kwargs={"org_slug": "contoso"}))
    page.get_by_label("Email address").fill("kim@example.com")
    page.get_by_label("Role").select_option(Role.MEMBER)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("main").get_by_role("status")).to_contain_text("kim@example.com")
    founder.screenshot("signup-invitation-sent")
    # then an email with the invitation link is sent to the colleague
    (email,) = [message for message in mail.outbox if "kim@example.com" in message.to]
    link = re.search(r"https?://\S+/accounts/invitations/[^/\s]+/", email.body)
    assert link, email.body

    # when the colleague opens the link, signs up from there and accepts
    colleague = visit()
    assert link.group(0).startswith(live_stack)
    page = colleague.open(link.group(0))
    expect(page.get_by_role("heading", name="Join Contoso", level=1)).to_be_visible()
    colleague.screenshot("invitation-link")
    page.get_by_role("link", name="Sign up and join").click()
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Email address").fill("kim@example.com")
    page.get_by_label(PASSWORD_LABEL).fill("staple-battery-horse-7")
    page.get_by_label("Password again").fill("staple-battery-horse-7")
    colleague.screenshot("invitation-signup")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Join Contoso", level=1)).to_be_visible()
    page.get_by_role("button", name="Accept and join Contoso").click()
    # then they are a member of Contoso, on its pages
    expect(page.get_by_role("heading", name="Execution health", level=1)).to_be_visible()
    assert Membership.objects.get(user__username="kim", organization__slug="contoso").role == Role.MEMBER
    colleague.screenshot("invitation-joined")
