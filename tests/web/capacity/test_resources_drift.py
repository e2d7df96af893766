"""The resources page's staffing drift: the initiatives where people work without an allocation and
where people are allocated without work, named, most unplanned hours first, ten initiatives a page
(SCORING.md "Signals beyond the scores"; D = 2027-01-01, an allocation without work counts from
2026-12-18)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from execgap.models import Role
from resources.models import Allocation
from scoring.services import scores_recompute
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory, TaskFactory
from tests.web.conftest import org_url, query_count
from tests.web.paging import walk

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)
LABEL = "Pages of staffing drift"


@pytest.fixture(autouse=True)
def _no_kept_rankings():
    cache.clear()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def drift_rows(response) -> list[str]:
    """The initiatives of the staffing drift table, in its order."""
    section = response.content.decode().split('id="staffing-drift"', 1)[1]
    return re.findall(r'<tr id="drift-\d+">\s*<th scope="row"><a [^>]+>([^<]+)</a>', section)


def drifting(org, count: int, *, workers: int = 1) -> None:
    """`count` active initiatives "Drift nn", each worked on without allocation by `workers` people
    (nn + 1 hours each), and one initiative "Idle" with Dee allocated 6 h a week since 2026-11-01."""
    for n in range(count):
        initiative = InitiativeFactory(organization=org, title=f"Drift {n:02d}", status="active")
        for w in range(workers):
            person = PersonFactory(organization=org, name=f"Worker {n:02d}-{w}")
            TaskFactory(
                organization=org, initiative=initiative, assignee=person, status="todo", effort_hours=n + 1
            )
    idle = InitiativeFactory(organization=org, title="Idle", status="active")
    AllocationFactory(
        organization=org,
        person=PersonFactory(organization=org, name="Dee"),
        initiative=idle,
        hours_per_week=Decimal(6),
        start_date=date(2026, 11, 1),
    )
    Allocation.objects.filter(organization=org).update(created_at=datetime(2026, 11, 1, tzinfo=UTC))
    scores_recompute(organization_id=org.pk, as_of=D)


def test_the_page_names_who_works_without_an_allocation_and_who_is_allocated_without_work(
    client, signed_in, org
):
    # given Self-healing firmware, worked on by Ana (6 h) and Bo (2 h) with nobody allocated, and Dee
    # allocated to Idle without work
    firmware = InitiativeFactory(organization=org, title="Self-healing firmware", status="active")
    for name, effort in (("Ana", 6), ("Bo", 2)):
        person = PersonFactory(organization=org, name=name)
        TaskFactory(
            organization=org, initiative=firmware, assignee=person, status="in_progress", effort_hours=effort
        )
    drifting(org, 0)
    signed_in(Role.VIEWER)
    # when the resources page is opened
    response = client.get(org_url("resources", org))
    text = text_of(response)
    # then the staffing drift names them, the unplanned hours first
    assert drift_rows(response) == ["Self-healing firmware", "Idle"]
    assert "Self-healing firmware Ana (6 h), Bo (2 h) 8 Nobody 0" in text
    assert "Idle Nobody 0 Dee (6 h/week) 6" in text
    assert "2 people work without an allocation on 1 initiative (8 unplanned hours)" in text
    assert "1 person is allocated without work on 1 initiative" in text


def test_the_drift_comes_ten_initiatives_a_page_most_unplanned_first(client, signed_in, org):
    # given 23 initiatives worked on without allocation (1 to 23 hours) and one allocated idle
    drifting(org, 23)
    signed_in(Role.VIEWER)
    pages = walk(client, client.get(org_url("resources", org)), LABEL)
    # then three pages: 23 h down to 1 h, then Idle (no unplanned hours)
    assert [len(drift_rows(page)) for page in pages] == [10, 10, 4]
    assert [row for page in pages for row in drift_rows(page)] == [
        *(f"Drift {n:02d}" for n in range(22, -1, -1)),
        "Idle",
    ]


def test_a_page_costs_the_same_queries_whatever_the_drift(client, signed_in, org, other_org):
    # given a little drift here, and three times the initiatives and people elsewhere
    drifting(org, 4, workers=2)
    drifting(other_org, 12, workers=6)
    signed_in(Role.VIEWER)
    client.get(org_url("resources", org))
    cache.clear()
    few = query_count(client, org_url("resources", org))
    signed_in(Role.VIEWER, other_org)
    client.get(org_url("resources", other_org))
    cache.clear()
    # then the larger one's page runs as many queries
    assert query_count(client, org_url("resources", other_org)) == few


def test_only_the_organizations_own_drift_is_shown(client, signed_in, org, other_org):
    drifting(org, 1)
    drifting(other_org, 2)
    signed_in(Role.VIEWER)
    response = client.get(org_url("resources", org))
    assert drift_rows(response) == ["Drift 00", "Idle"]
    assert "Worker 01" not in text_of(response)
