"""Notifications end to end: a real browser per person, the live server and a real Celery worker.

A member raises a blocker; the team's lead, on another page in their own browser, sees the bell's
count rise without reloading; the lead answers and the member is told. The inbox, the preferences
and the digest preview are checked by axe and saved wide and at a phone's width as
artifacts/screenshots/notifications-<page>[-phone].png.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from feedback.models import FeedbackItem, FeedbackKind
from notifications.models import Notification
from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.pickers import pick_by_keyboard
from tests.e2e.plan import Plan

# The bell polls every 10 s; the worker makes the notification within a second or two.
BELL_TIMEOUT_MS = 25_000


def test_a_blocker_reaches_the_lead_and_the_answer_reaches_the_member(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given the lead of Platform on the health page, with nothing unread
    lead = visit(plan.lead)
    lead_page = lead.open(plan.path())
    bell = lead_page.get_by_role("link", name="0 unread notifications")
    expect(bell).to_be_visible()
    lead.screenshot("notifications-header")

    # when Mia, a member of Platform, raises a blocker on the initiative she owns, in her own browser
    member = visit(plan.member)
    page = member.open(plan.path("feedback/new/?kind=blocker"))
    page.get_by_label("What is it?").fill("The payment sandbox rejects every test card.")
    pick_by_keyboard(page, "About initiative", "wizard", plan.staffed.title)
    page.get_by_role("button", name="Raise blocker").click()
    blocker = FeedbackItem.objects.get(text__startswith="The payment sandbox")
    assert blocker.kind == FeedbackKind.BLOCKER

    # then the lead's bell counts it, without a reload of the lead's page
    expect(lead_page.get_by_role("link", name="1 unread notification")).to_be_visible(timeout=BELL_TIMEOUT_MS)
    lead.screenshot("notifications-header-unread")

    # when the lead opens the inbox and follows the notification
    page = lead.open(plan.path("notifications/"))
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    assert axe_problems(page) == []
    lead.screenshot("notifications-inbox")
    page.get_by_role("link", name="Mia Member raised a blocker").click()
    # then it is the blocker's page, and the notification is read
    expect(page.get_by_role("heading", level=1)).to_contain_text("Blocker")
    assert Notification.objects.get(recipient=plan.lead).read_at is not None

    # when the lead acknowledges it
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acknowledged")
    # then Mia's bell counts the answer, and her inbox says who answered
    member_page = member.open(plan.path("me/"))
    expect(member_page.get_by_role("link", name="1 unread notification")).to_be_visible(
        timeout=BELL_TIMEOUT_MS
    )
    page = member.open(plan.path("notifications/"))
    expect(page.get_by_role("link", name="Leo Lead answered your blocker")).to_be_visible()


def test_the_inbox_preferences_and_digest_read_well_wide_and_on_a_phone(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given an executive (who may read the digest), wide and at a phone's width
    for phone in (False, True):
        tab = visit(plan.executive, phone=phone)
        suffix = "-phone" if phone else ""
        # when they open the preferences: a radio per channel, each with its own label
        page = tab.open(plan.path("notifications/preferences/"))
        expect(page.get_by_role("radio", name="The weekly executive digest: By email")).to_be_checked()
        assert axe_problems(page) == []
        tab.screenshot(f"notifications-preferences{suffix}")
        # and the digest preview
        page = tab.open(plan.path("digest/"))
        expect(page.get_by_role("heading", name="Weekly executive digest", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="Blockers waiting longest")).to_be_visible()
        assert axe_problems(page) == []
        tab.screenshot(f"notifications-digest{suffix}")
        # and their (empty) inbox
        page = tab.open(plan.path("notifications/"))
        assert axe_problems(page) == []
        tab.screenshot(f"notifications-inbox-empty{suffix}")
        # and the page does not scroll sideways
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        if phone:  # the bell sits with the account menu behind the Menu button
            page.get_by_role("button", name="Menu").click()
            expect(page.get_by_role("link", name="0 unread notifications")).to_be_visible()
            tab.screenshot("notifications-header-phone")
