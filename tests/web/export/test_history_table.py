"""The plan history as CSV: every revision the page's filters select, newest first, read a keyset page
at a time, one row per revision with its changes in words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from objectives.services import objective_create, objective_update
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org, executive):
    """Two objectives created, then the first one's weight changed five times (with a reason)."""
    grow = objective_create(actor=executive, data={"title": "Grow"}, reason="Board ask")
    objective_create(actor=executive, data={"title": "=Harden"}, reason="")
    for weight in range(2, 7):
        grow.refresh_from_db()
        objective_update(
            actor=executive, objective=grow, data={"priority_weight": Decimal(weight)}, reason="Rebalance"
        )
    return grow


def test_the_history_download_is_every_revision_newest_first(client, signed_in, org, history, monkeypatch):
    # given pages of three revisions, and a viewer
    monkeypatch.setattr("execgap.web.export.csv.CHUNK_SIZE", 3)
    signed_in(Role.VIEWER)
    # when they download the plan history
    rows, response = download(client, org_url("plan_history_csv", org))
    # then the seven revisions come, newest first, across the pages, each with its changes
    assert column(rows, "Item") == ["Grow"] * 5 + ["'=Harden", "Grow"]
    assert column(rows, "Change") == ["changed"] * 5 + ["created", "created"]
    assert column(rows, "Reason")[0] == "Rebalance"
    assert "6" in column(rows, "Changes")[0]
    assert "acme-plan-history-" in response["Content-Disposition"]


def test_the_history_download_keeps_the_search_and_filters(client, signed_in, org, history):
    # given a viewer with the history searched for "Harden", or filtered to creations
    signed_in(Role.VIEWER)
    url = org_url("plan_history_csv", org)
    # when they download it
    searched, _ = download(client, url, {"q": "Harden"})
    created, _ = download(client, url, {"action": "created"})
    # then only those revisions come
    assert column(searched, "Item") == ["'=Harden"]
    assert column(created, "Item") == ["'=Harden", "Grow"]


def test_a_filter_that_is_not_understood_is_refused(client, signed_in, org, history):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they ask for a kind of change that is not one
    response = client.get(org_url("plan_history_csv", org), {"action": "lost"})
    # then the answer is 400, and no file
    assert response.status_code == 400


def test_the_page_links_its_download(client, signed_in, org, history):
    # given a viewer on the plan history searched for "Grow"
    signed_in(Role.VIEWER)
    html = client.get(org_url("plan_history", org), {"q": "Grow"}).content.decode()
    # then the download keeps the search
    assert f'href="{org_url("plan_history_csv", org)}?q=Grow"' in html
