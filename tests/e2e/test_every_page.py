"""Every page of ExecGap, in a real browser, on a laptop (1440 px wide) and on a phone (390 px).

The pages are read from the URL configuration as the benchmark reads them (`scoring.benchmark.routes`):
every route under /o/<slug>/, its ids filled from a small organization (Northwind, with the rows the
benchmark's visitors add: an evaluated scenario, a finished import dry run, an invitation), each
opened as its reader (a team's lead for the lead's pages, else an executive; the admin where the
reader is refused, as the benchmark does), and every route outside it (sign-in, sign-up, password
reset and change, API tokens, a new organization, an invitation's link, the welcome page), opened by
whoever reads it. A route answering GET with 405 is an action, and one answering a fragment (a
picker's matches, a level of the map) is part of a page: neither is a page.

On each page, at each width: the document does not scroll sideways, no visible element sticks out of
its container (but inside a box that scrolls, such as a table's), axe-core finds no serious or
critical violation with its experimental rules included, and no script fails. Each is saved as
artifacts/screenshots/<page>-<width>.png.

On a phone the main menu folds behind a Menu button (a disclosure: aria-expanded), opened and closed
from the keyboard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from accounts.models import Invitation, token_digest
from execgap.models import Role
from notifications.emails import unsubscribe_token
from scoring.benchmark.pages import targets_of
from scoring.benchmark.visitors import Visitors, visitors_prepare
from tests.e2e.conftest import AXE_SCRIPT, Visit
from tests.e2e.plan import Plan
from tests.factories import MembershipFactory, OrganizationFactory

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from playwright.sync_api import Browser, Page

WIDTHS = (1440, 390)
# Outside an organization: the routes a visitor who is not signed in reads, and those nobody opens
# (a form's action, answered by a redirect).
ANONYMOUS = frozenset(
    {
        "login",
        "signup",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "notification_unsubscribe",
    }
)
NOT_PAGES = frozenset({"logout", "org_switch", "token_revoke"})
OUTSIDE = ("o/", "api/", "admin/")
INVITATION_TOKEN = "every-page-invitation-token"  # a link sent by email, made here by hand

# Whether the document scrolls sideways, and the visible elements that stick out of their container
# (the element that holds them; the screen for one placed over the page or given more room by negative
# margins), left or right, or whose text sticks out of them (a long word, a line that may not wrap).
# Inside a box that clips or scrolls sideways nothing is counted (a wide table scrolls in its own
# box); an element drawn inside an SVG is the chart's business, and one not rendered (in a closed
# <details>) or clipped to nothing (a visually hidden label) is not seen.
OVERFLOW = """() => {
    const width = window.innerWidth;
    const clips = (el) => getComputedStyle(el).overflowX !== "visible";
    const unseen = (el, style, box) => box.width === 0 || box.height === 0
        || !el.checkVisibility({visibilityProperty: true})
        || (style.position === "absolute" && box.width <= 1 && box.height <= 1);
    const words = (text) => text.trim().replace(/\\s+/g, " ");
    const classOf = (el) => (typeof el.className === "string" ? words(el.className).split(" ")[0] : "");
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (classOf(el) ? "." + classOf(el) : "")
        + (words(el.textContent) ? " “" + words(el.textContent).slice(0, 30) + "”" : "");
    // A box placed over the page (a menu, a list of matches), or one that asks for more room than its
    // holder's (negative margins: the strategy map on a wide screen), may leave its holder, not the
    // screen; nor is its width its ancestors' content sticking out.
    const placedOver = (style) => style.position === "absolute"
        || parseFloat(style.marginLeft) < 0 || parseFloat(style.marginRight) < 0;
    const all = [...document.body.querySelectorAll("*")];
    const breakouts = all.filter((el) => placedOver(getComputedStyle(el)));
    const found = [];
    for (const el of all) {
        if (el.parentElement.closest("svg")) continue;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        if (unseen(el, style, box) || style.position === "fixed") continue;
        let inside = false;
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (clips(up)) { inside = true; break; }
        }
        if (inside) continue;
        const over = placedOver(style);
        const holder = over ? document.documentElement : el.parentElement;
        const room = over ? {left: 0, right: width} : holder.getBoundingClientRect();
        // Content wider than its box that no child element accounts for: a long word, an unwrapped line.
        const textOverflows = () => !clips(el) && style.display !== "inline" && el.clientWidth > 0
            && el.scrollWidth > el.clientWidth + 1 && !/^(TABLE|TR|TD|TH)$/.test(el.tagName)
            && [...el.children].every((child) => child.getBoundingClientRect().right <= box.right + 1)
            && !breakouts.some((breakout) => breakout !== el && el.contains(breakout));
        if (box.right > room.right + 1 || box.left < room.left - 1) {
            found.push(`${name(el)} (${Math.round(box.left)} to ${Math.round(box.right)} px) sticks out of `
                + `${name(holder).slice(0, 40)} (${Math.round(room.left)} to ${Math.round(room.right)} px)`);
        } else if (textOverflows()) {
            found.push(`the content of ${name(el)} is ${el.scrollWidth} px wide in ${el.clientWidth} px`);
        }
    }
    return {scroll: document.documentElement.scrollWidth, width, found: found.slice(0, 6)};
}"""

AXE_WITH_EXPERIMENTAL_RULES = """async () => {
    const experimental = axe.getRules(["experimental"]);
    const rules = Object.fromEntries(experimental.map((rule) => [rule.ruleId, {enabled: true}]));
    const result = await axe.run(document, {resultTypes: ["violations"], rules});
    return result.violations
        .filter((violation) => ["serious", "critical"].includes(violation.impact))
        .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — at `
            + violation.nodes.map((node) => node.target.join(" ")).join("; "));
}"""


@dataclass(frozen=True)
class Address:
    """A page to open: its name (for the screenshot), its path, and who reads it."""

    name: str
    path: str
    reader: str  # a role's value, "anonymous" or "newcomer"


def organization_addresses(visitors: Visitors) -> list[Address]:
    """The organization's pages as the benchmark finds and fills them, each with its reader."""
    addresses = []
    for target in targets_of(visitors, api=[]):
        assert not target.skipped, f"{target.label}: {target.skipped}"
        name = target.label.removeprefix("/o/{org}/").rstrip("/") or "health"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        addresses.append(Address(slug, target.path, str(target.role.value)))
    return addresses


def site_routes(patterns: Iterable[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(URL name, route) of every named route outside the organizations, the API and the admin."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(OUTSIDE):
            continue
        if isinstance(pattern, URLResolver):
            yield from site_routes(pattern.url_patterns, route)
        elif pattern.name:
            yield pattern.name, route


def site_addresses(plan: Plan) -> list[Address]:
    """The pages outside an organization, their parameters filled in: an invitation's link, a
    password reset's link and an email's unsubscribe link (for the member)."""
    Invitation.objects.create(
        organization=plan.organization, email="new.colleague@example.com", role=Role.MEMBER,
        token_digest=token_digest(INVITATION_TOKEN), invited_by=plan.admin,
        expires_at=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    parameters = {
        "invitation_accept": {"token": INVITATION_TOKEN},
        # an email's unsubscribe link (the member's, for alerts)
        "notification_unsubscribe": {
            "token": unsubscribe_token(
                organization_id=plan.organization.pk, user_id=plan.member.pk, kind="alert"
            )
        },
        "password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(plan.member.pk)),
            "token": default_token_generator.make_token(plan.member),
        },
    }
    addresses: dict[str, Address] = {}
    for name, _route in site_routes(get_resolver().url_patterns):
        if name in NOT_PAGES or name in addresses:
            continue
        reader = (
            "anonymous" if name in ANONYMOUS or name == "invitation_accept" else str(Role.EXECUTIVE.value)
        )
        if name == "home":
            reader = "newcomer"  # a member is sent on to their organization's health page
        addresses[name] = Address(f"site-{name}", reverse(name, kwargs=parameters.get(name)), reader)
    return list(addresses.values())


class Screen:
    """Browser tabs at one width, one per reader (each with its own cookies), opened when first needed."""

    def __init__(
        self, browser: Browser, base_url: str, width: int, readers: Mapping[str, AbstractBaseUser | None]
    ):
        self.browser, self.base_url, self.width, self.readers = browser, base_url, width, readers
        self.tabs: dict[str, Visit] = {}

    def tab(self, reader: str) -> Visit:
        if reader not in self.tabs:
            phone = self.width < 600
            context = self.browser.new_context(
                viewport={"width": self.width, "height": 844 if phone else 900},
                device_scale_factor=1,  # screenshots to read, kept light: 124 of them
                is_mobile=phone,
                has_touch=phone,
            )
            # axe-core in every document before its own scripts (evaluated, as the suite's helper does:
            # the pages' Content-Security-Policy stays as it is)
            context.add_init_script(path=AXE_SCRIPT)
            self.tabs[reader] = Visit(context, self.base_url)
            user = self.readers[reader]
            if user is not None:
                self.tabs[reader].sign_in(user)
        return self.tabs[reader]

    def reader_of(self, address: Address) -> str | None:
        """Who reads the page: its reader, or the admin where the reader is refused (the settings'
        pages, as the benchmark reads them); None for an action (405) or a fragment of a page (no
        main). Asked without showing it: Chromium shows no empty answer."""
        reader = address.reader
        answer = self.tab(reader).context.request.get(self.base_url + address.path)
        if answer.status == 403 and reader != Role.ADMIN.value:
            reader = str(Role.ADMIN.value)
            answer = self.tab(reader).context.request.get(self.base_url + address.path)
        if answer.status == 405 or (answer.ok and '<main id="main"' not in answer.text()):
            return None
        return reader

    def open(self, address: Address, reader: str) -> tuple[Visit, int | None]:
        """The tab showing the page to `reader`, and its status."""
        tab = self.tab(reader)
        response = tab.page.goto(self.base_url + address.path)
        return tab, response.status if response is not None else None

    def close(self) -> list[str]:
        """Close the tabs; the scripts' errors they saw."""
        errors = []
        for tab in self.tabs.values():
            errors += tab.take_errors()
            tab.context.close()
        return errors


def page_problems(page: Page, where: str) -> list[str]:
    """What is wrong with the page shown: sideways scrolling, what sticks out, axe's violations."""
    problems = []
    overflow = page.evaluate(OVERFLOW)
    if overflow["scroll"] > overflow["width"]:
        problems.append(f"{where}: the page is {overflow['scroll']} px wide on a {overflow['width']} px one")
    problems += [f"{where}: {found}" for found in overflow["found"]]
    if not page.evaluate("typeof axe !== 'undefined'"):  # a tab not opened by a Screen
        page.evaluate(AXE_SCRIPT.read_text())
    problems += [f"{where}: {violation}" for violation in page.evaluate(AXE_WITH_EXPERIMENTAL_RULES)]
    return problems


def test_every_page_fits_a_laptop_and_a_phone_and_passes_axe(
    browser: Browser, live_stack: str, plan: Plan
) -> None:
    # given Northwind, its readers and a row of every kind a page is about
    with visitors_prepare(plan.organization.pk) as visitors:
        readers: dict[str, AbstractBaseUser | None] = {
            str(role.value): user for role, user in visitors.users.items()
        } | {"anonymous": None, "newcomer": plan.newcomer}
        addresses = organization_addresses(visitors) + site_addresses(plan)
        problems: list[str] = []
        shown: set[str] = set()
        screens = [Screen(browser, live_stack, width, readers) for width in WIDTHS]
        pages = [(address, reader) for address in addresses if (reader := screens[0].reader_of(address))]
        for screen in screens:
            width = screen.width
            # when each page is opened at this width by its reader
            for address, reader in pages:
                tab, status = screen.open(address, reader)
                where = f"{address.path} at {width} px"
                if status != 200:
                    problems.append(f"{where} answered {status}")
                    continue
                shown.add(address.name)
                tab.screenshot(f"{address.name}-{width}")
                # then it fits the screen and passes axe's checks, and no script fails
                problems += page_problems(tab.page, where)
            problems += [f"JavaScript error at {width} px: {error}" for error in screen.close()]
    # and the pages of the main navigation and the account pages were among those checked
    assert {"health", "strategy", "alignment", "resources", "me", "teams-team", "scenarios-scenario"} <= shown
    assert {"site-login", "site-signup", "site-home", "site-invitation_accept", "site-token_list"} <= shown
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_main_menu_folds_on_a_phone_and_opens_from_the_keyboard(
    visit: Callable[..., Visit], plan: Plan
) -> None:
    # given a lead, also a member of a second organization, on the health page, on a phone and on a laptop
    MembershipFactory(organization=OrganizationFactory(name="Contoso"), user=plan.lead, role=Role.VIEWER)
    phone = visit(plan.lead, phone=True)
    page = phone.open(plan.path())
    laptop = visit(plan.lead).open(plan.path())
    toggle = page.get_by_role("button", name="Menu")
    main_menu = page.get_by_role("navigation", name="Main")
    # then on the phone the menu is folded behind its button, and on the laptop it is all shown
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(main_menu).to_be_hidden()
    expect(laptop.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        laptop.get_by_role("navigation", name="Main").get_by_role("link", name="Alignment")
    ).to_be_visible()
    # when they open it from the keyboard
    toggle.focus()
    page.keyboard.press("Enter")
    # then the pages, the organization switcher and the account menu are there, the current page
    # marked, and the opened menu, its account menu open too, fits the screen
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(main_menu.get_by_role("link", name="Health")).to_have_attribute("aria-current", "page")
    expect(main_menu.get_by_role("link", name="Plan history")).to_be_visible()
    expect(page.get_by_label("Organization")).to_have_value(plan.organization.slug)
    page.locator(".account-menu summary").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    phone.screenshot("phone-menu-open")
    assert page_problems(page, "the opened menu") == []
    page.locator(".account-menu summary").click()
    # when they press Escape
    page.keyboard.press("Escape")
    # then it folds again and the focus is back on its button
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(main_menu).to_be_hidden()
    # and a link of the menu leads to its page
    toggle.click()
    main_menu.get_by_role("link", name="Alignment").click()
    expect(page.get_by_role("heading", name="Alignment", level=1)).to_be_visible()
