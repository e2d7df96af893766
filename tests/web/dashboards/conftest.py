"""Fixtures of the dashboard tests: SCORING.md's worked example, and organizations of any size."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from execgap.models import Organization
from scoring.services import scores_recompute
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
    TeamFactory,
)
from tests.scoring.conftest import WORKED_EXAMPLE_DATE, worked_example  # noqa: F401 (a fixture)

__all__ = ["WORKED_EXAMPLE_DATE", "map_text", "more_link", "node_titles", "organization_of_size"]


def organization_of_size(organization: Organization, scale: int) -> SimpleNamespace:
    """A plan whose every kind of row grows with `scale`: teams, people, objectives with key results
    and children, initiatives with allocations, tasks of every class, check-ins and blockers."""
    today = timezone.now().date()
    built = SimpleNamespace(objectives=[], initiatives=[])
    for n in range(scale):
        team = TeamFactory(organization=organization)
        people = [PersonFactory(organization=organization, team=team) for _ in range(3)]
        root = ObjectiveFactory(
            organization=organization, team=team, owner=people[0], end_date=today + timedelta(days=60)
        )
        child = ObjectiveFactory(
            organization=organization,
            team=team,
            parent=root,
            start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=30),
        )
        built.objectives += [root, child]
        for objective in (root, child):
            key_result = KeyResultFactory(
                organization=organization, objective=objective, current_value=Decimal(20 + n)
            )
            CheckInFactory(
                organization=organization,
                key_result=key_result,
                author=people[0],
                value=Decimal(20),
                date=today - timedelta(days=n * 9),
            )
        staffed = InitiativeFactory(
            organization=organization,
            objective=child,
            team=team,
            owner=people[1],
            estimate_hours=Decimal(200),
        )
        unstaffed = InitiativeFactory(organization=organization, objective=root, team=team)
        built.initiatives += [staffed, unstaffed]
        for person in people:
            AllocationFactory(
                organization=organization,
                person=person,
                initiative=staffed,
                hours_per_week=Decimal(30 + 10 * n),
            )
        CheckInFactory(
            organization=organization, initiative=staffed, author=people[1], date=today - timedelta(days=2)
        )
        for index in range(4):
            TaskFactory(
                organization=organization,
                initiative=staffed,
                team=team,
                assignee=people[index % 3],
                effort_hours=Decimal(index + 1),
            )
            TaskFactory(
                organization=organization,
                objective=child,
                team=team,
                status="done",
                completed_at=timezone.now() - timedelta(days=index),
            )
            TaskFactory(organization=organization, team=team, effort_hours=Decimal(2))  # orphan
        FeedbackItemFactory(
            organization=organization,
            author=people[2],
            objective=root,
            created_at=timezone.now() - timedelta(days=10 + n),
        )
    return built


# The strategy map's tests: reading a rendered map, and the organizations they read.


def map_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def node_titles(html: str) -> list[str]:
    """The titles of the nodes shown, in the order of the tree."""
    return re.findall(r'<p class="node-title">.*?<a href="[^"]+"[^>]*>([^<]+)</a>', html, flags=re.DOTALL)


def more_link(html: str) -> tuple[str, str]:
    """The plain link and the htmx URL of the (last) "show the next" item."""
    found = re.findall(r'<li class="map-more">\s*<a href="([^"]+)" hx-get="([^"]+)"', html)
    assert found, "no link to the next page of a level"
    plain, htmx = found[-1]
    return html_lib.unescape(plain), html_lib.unescape(htmx)


@pytest.fixture
def worked_map(worked_example):  # noqa: F811 (the fixture, by name)
    scores_recompute(organization_id=worked_example.org.pk, as_of=WORKED_EXAMPLE_DATE)
    return worked_example


@pytest.fixture
def crowded(org):
    """An objective with 3 objectives and 60 initiatives below it: 63 nodes, more than a page."""
    p = SimpleNamespace()
    p.root = ObjectiveFactory(organization=org, title="Crowded")
    p.children = [ObjectiveFactory(organization=org, title=f"Sub {n}", parent=p.root) for n in range(3)]
    p.initiatives = InitiativeFactory.create_batch(60, organization=org, objective=p.root)
    p.order = [o.title for o in p.children] + [
        i.title for i in sorted(p.initiatives, key=lambda i: (i.title.lower(), i.pk))
    ]
    return p
