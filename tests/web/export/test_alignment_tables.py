"""The alignment page's tables as CSV: the effort by team, and the whole unaligned work (not only the
largest the page shows), largest first, filtered by team and class as the page is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.models import ObjectiveStatus
from scoring.services import scores_recompute
from scoring.web.alignment.selectors import WORK_LIMIT
from tests.factories import ObjectiveFactory, TaskFactory, TeamFactory
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(org):
    """More orphan tasks than the page shows (estimated ones, and three without an estimate), two
    misaligned tasks of Sales (on a cancelled objective), one aligned task; scores computed."""
    platform, sales = (
        TeamFactory(organization=org, name="Platform"),
        TeamFactory(organization=org, name="Sales"),
    )
    live = ObjectiveFactory(organization=org, title="Live")
    dropped = ObjectiveFactory(organization=org, title="Dropped", status=ObjectiveStatus.CANCELLED)
    for number in range(WORK_LIMIT + 5):
        TaskFactory(
            organization=org, team=platform, title=f"Orphan {number:02}", effort_hours=Decimal(100 + number)
        )
    for number in range(3):
        TaskFactory(organization=org, team=platform, title=f"Unestimated {number}")
    TaskFactory(
        organization=org, team=sales, title="Misaligned big", objective=dropped, effort_hours=Decimal(500)
    )
    TaskFactory(
        organization=org, team=sales, title="Misaligned small", objective=dropped, effort_hours=Decimal(1)
    )
    TaskFactory(organization=org, team=sales, title="Aligned", objective=live, effort_hours=Decimal(900))
    scores_recompute(organization_id=org.pk)
    return sales


def test_the_unaligned_work_download_is_all_of_it_largest_first(client, signed_in, org, work):
    # given a lead
    signed_in(Role.LEAD)
    # when they download the unaligned work
    rows, _ = download(client, org_url("alignment_work_csv", org))
    # then every orphan and misaligned task comes, largest first, the aligned one not
    titles = column(rows, "Task")
    assert len(titles) == WORK_LIMIT + 5 + 3 + 2
    assert titles[0] == "Misaligned big"
    assert titles[1] == f"Orphan {WORK_LIMIT + 4:02}"
    assert "Aligned" not in titles
    efforts = [float(value) for value in column(rows, "Effort (hours)")]
    assert efforts == sorted(efforts, reverse=True)
    assert column(rows, "Class")[0] == "misaligned"


def test_the_unaligned_work_download_keeps_the_filters(client, signed_in, org, work):
    # given a viewer with the page filtered to Sales's misaligned work
    signed_in(Role.VIEWER)
    # when they download it
    rows, _ = download(client, org_url("alignment_work_csv", org), {"team": work.pk, "class": "misaligned"})
    # then only those two come
    assert column(rows, "Task") == ["Misaligned big", "Misaligned small"]


def test_the_unaligned_work_download_reads_in_chunks(client, signed_in, org, work, monkeypatch):
    # given chunks of four tasks
    monkeypatch.setattr("execgap.web.export.csv.CHUNK_SIZE", 4)
    signed_in(Role.VIEWER)
    # when the work is downloaded
    rows, _ = download(client, org_url("alignment_work_csv", org))
    # then it comes whole, in the same order
    titles = column(rows, "Task")
    assert len(titles) == WORK_LIMIT + 10
    assert titles[-4:] == ["Unestimated 0", "Unestimated 1", "Unestimated 2", "Misaligned small"]


def test_the_effort_by_team_download(client, signed_in, org, work):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they download the effort by team
    rows, _ = download(client, org_url("alignment_teams_csv", org))
    # then each team comes with its hours by class
    assert column(rows, "Team") == ["Platform", "Sales"]
    assert float(column(rows, "Aligned (hours)")[1]) == 900.0


def test_a_filter_that_is_not_one_is_refused(client, signed_in, org, work):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they ask for a class that is not one
    response = client.get(org_url("alignment_work_csv", org), {"class": "lost"})
    # then the answer is 400, and no file
    assert response.status_code == 400


def test_the_page_links_both_downloads(client, signed_in, org, work):
    # given a viewer on the alignment page, filtered to orphans
    signed_in(Role.VIEWER)
    html = client.get(org_url("alignment", org), {"class": "orphan"}).content.decode()
    # then both tables offer their download, the work's with the filter
    assert f'href="{org_url("alignment_work_csv", org)}?class=orphan"' in html
    assert "Download the effort by team as CSV" in html
