"""The cut line is kept in the shared cache while nothing it reads changes, and drawn anew after a
change through the services (which moves the organization's `scores_changed_at`); a kept line's
ranking is read a piece at a time, and a piece the cache lost draws the line again."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.cache import cache

from execgap.models import Role
from objectives.services import initiative_update
from scoring import cut_line as kept_cut_line
from scoring.cut_line import cut_line_key, cut_line_read, piece_key
from scoring.engine.cut_line import CutLine
from scoring.fetch import parameters_at
from tests.factories import InitiativeFactory, MembershipFactory, ObjectiveFactory, TaskFactory
from tests.scoring.builders import D

pytestmark = pytest.mark.django_db


def test_a_kept_line_is_read_without_queries_and_a_change_draws_it_anew(org, django_assert_num_queries):
    # given an active initiative of 40 h and the line read once
    objective = ObjectiveFactory(organization=org, status="active")
    initiative = InitiativeFactory(organization=org, objective=objective, title="Billing")
    TaskFactory(organization=org, initiative=initiative, effort_hours=Decimal(40))
    first = cut_line_read(organization=org, as_of=D)
    assert first.total_demand == 40
    # when it is read again with nothing changed, then it comes from the cache, with no query
    with django_assert_num_queries(0):
        assert whole(cut_line_read(organization=org, as_of=D)) == first
    # when the initiative is estimated at 120 h through the service
    admin = MembershipFactory(organization=org, role=Role.ADMIN)
    initiative_update(actor=admin, initiative=initiative, data={"estimate_hours": "120"})
    org.refresh_from_db()
    # then the line is drawn anew: the estimate is the initiative's demand
    assert cut_line_read(organization=org, as_of=D).total_demand == 120


def whole(line: CutLine) -> CutLine:
    """The line with its ranking read whole (a kept line reads it from the cache a piece at a time)."""
    return replace(line, entries=tuple(line.entries))


@pytest.fixture
def five_ranked(org, monkeypatch):
    """Five active initiatives of 10, 20, 30, 40 and 50 h ranked by end date, kept in pieces of 2."""
    monkeypatch.setattr(kept_cut_line, "CUT_LINE_PIECE", 2)
    cache.clear()
    objective = ObjectiveFactory(organization=org, status="active")
    for n in range(1, 6):
        initiative = InitiativeFactory(
            organization=org, objective=objective, title=f"I{n}", end_date=D.replace(month=n + 1)
        )
        TaskFactory(organization=org, initiative=initiative, effort_hours=Decimal(10 * n))
    return cut_line_read(organization=org, as_of=D)


def test_a_page_of_a_kept_ranking_reads_only_the_pieces_it_shows(org, five_ranked, monkeypatch):
    # given the five initiatives' line drawn and kept (pieces I1-I2, I3-I4, I5)
    assert [entry.title for entry in five_ranked.entries] == ["I1", "I2", "I3", "I4", "I5"]
    asked: list[list[str]] = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: asked.append(list(keys)) or get_many(keys))
    # when the line is read again and its third and fourth initiatives are shown
    line = cut_line_read(organization=org, as_of=D)
    shown = [entry.title for entry in line.entries[2:4]]
    # then they come from the second piece alone, and the totals without any piece
    assert shown == ["I3", "I4"]
    assert (len(line.entries), line.total_demand) == (5, five_ranked.total_demand)
    assert [[key.rsplit(":", 1)[1] for key in keys] for keys in asked] == [["1"]]
    # and the whole ranking, read after, is the one drawn
    assert whole(line) == five_ranked


def test_a_piece_the_cache_lost_draws_the_line_again(org, five_ranked):
    # given the kept line's last piece evicted from the cache
    line = cut_line_read(organization=org, as_of=D)
    key = piece_key(cut_line_key(org, parameters_at(organization=org, as_of=D)), 2)
    assert cache.get(key) is not None
    cache.delete(key)
    # when the last initiative is read, then the line is drawn again, the same
    assert line.entries[-1].title == "I5"
    assert whole(line) == five_ranked
