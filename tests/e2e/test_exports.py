"""Every table's download on its page, as its reader sees it at a laptop (1440 px) and on a phone
(390 px): the link is there beside its list, nothing sticks out, and what it downloads is the CSV of
that table. Pictured as export-<page>-<width>.png."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, Visit
from tests.e2e.plan import Plan

# (page, URL name and ids, the link's text) of each page with tables, read by an admin.
PAGES: list[tuple[str, str, dict[str, str], str]] = [
    ("objective", "objective_detail", {"pk": "child"}, "Download these tasks as CSV"),
    ("initiative", "initiative_detail", {"pk": "staffed"}, "Download the people allocated as CSV"),
    ("teams", "teams", {}, "Download these teams as CSV"),
    ("workspace", "team_workspace", {"pk": "team"}, "Download these tasks as CSV"),
    ("feedback", "feedback_list", {}, "Download this feedback as CSV"),
    ("my-work", "my_work", {}, "Download the feedback waiting for your answer as CSV"),
    ("resources", "resources", {}, "Download the people and their load as CSV"),
    ("cut-line", "capacity_cut_line", {}, "Download the whole ranking as CSV"),
    ("alignment", "alignment", {}, "Download all this unaligned work as CSV"),
    ("people", "settings_people", {}, "Download these people as CSV"),
    ("members", "settings_members", {}, "Download these members as CSV"),
    ("settings-teams", "settings_teams", {}, "Download these teams as CSV"),
    ("health", "health", {}, "Download the scores by day as CSV"),
]


def _url(plan: Plan, name: str, ids: dict[str, str]) -> str:
    kwargs = {key: getattr(plan, attribute).pk for key, attribute in ids.items()}
    return reverse(name, kwargs={"org_slug": plan.organization.slug, **kwargs})


def _sticking_out(tab: Visit) -> list[str]:
    """The download links wider than the page or past its right edge."""
    found: list[str] = tab.page.eval_on_selector_all(
        ".csv-link, .page-actions a[download]",
        """links => links
            .filter(link => link.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(link => link.textContent.trim())""",
    )
    return found


@pytest.mark.parametrize("phone", [False, True], ids=["1440", "390"])
def test_every_table_offers_its_download_beside_it(visit: Callable[..., Visit], plan: Plan, phone: bool):
    # given an admin, at a laptop or on a phone
    tab = visit(plan.admin, phone=phone)
    if not phone:
        tab.page.set_viewport_size({"width": 1440, "height": 900})
    width = "390" if phone else "1440"
    for name, url_name, ids, text in PAGES:
        # when they open each page with tables
        tab.open(_url(plan, url_name, ids))
        # then its table's download is there, and nothing of it sticks out
        expect(tab.page.get_by_role("link", name=text)).to_be_visible()
        assert _sticking_out(tab) == [], name
        tab.screenshot(f"export-{name}-{width}")


def test_a_download_is_the_csv_of_its_table(visit: Callable[..., Visit], plan: Plan):
    # given the team's lead on their workspace, its tasks filtered to those linked to a goal
    tab = visit(plan.lead)
    page = tab.open(_url(plan, "team_workspace", {"pk": "team"}) + "?link=linked")
    # when they follow the tasks' download
    with page.expect_download() as started:
        page.get_by_role("link", name="Download these tasks as CSV").click()
    saved = SCREENSHOTS.parent / "downloaded-team-tasks.csv"
    started.value.save_as(str(saved))
    # then the file is the filtered list, headings first, for a spreadsheet (UTF-8 with its mark)
    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfTask,Key,Status")
    text = raw.decode("utf-8-sig")
    assert "Design the wizard steps" in text
    assert "Tidy the build scripts" not in text  # the orphan task: not linked
    assert started.value.suggested_filename.startswith("northwind-platform-tasks-")
