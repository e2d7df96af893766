"""The ranking every picker shares: in the database (`ranked`) and for rows already read (`rank_of`),
the same order: the query as the whole text, then as its prefix, then inside it, then its words in any
order; ties by text, whatever the case."""

from __future__ import annotations

import pytest

from execgap.web.picker import Match, best, rank_of, ranked
from objectives.models import Objective
from tests.factories import ObjectiveFactory

TITLES = ["Repay the loans", "payroll sync", "Pay", "Payments", "Pages to pay from", "pay", "Search"]


@pytest.mark.parametrize(
    ("title", "rank"),
    [("Pay", 0), ("PAY", 0), ("Payments", 1), ("Repay the loans", 2), ("Pages to pay from", 2),
     ("Pay the loans", 1), ("Search", None)],
)  # fmt: skip
def test_rank_of_a_title_for_pay(title, rank):
    assert rank_of(title, "pay") == rank


def test_words_in_any_order_rank_last_and_every_word_must_appear():
    # given a two-word query
    # then a title with both words apart ranks after one holding them together; one word is not enough
    assert rank_of("Checkout revamp for the web", "revamp checkout") == 3
    assert rank_of("Checkout and revamp", "checkout and") == 1
    assert rank_of("Checkout tests", "revamp checkout") is None


def test_an_empty_query_matches_everything_first():
    assert rank_of("Anything", "  ") == 0


@pytest.mark.django_db
def test_the_database_and_memory_agree(org):
    # given objectives with these titles
    for title in TITLES:
        ObjectiveFactory(organization=org, title=title)
    # when they are ranked for "pay" in the database, and in memory
    in_database = list(ranked(Objective.objects.for_org(org), "title", "pay").values_list("title", flat=True))
    in_memory = sorted(
        (title for title in TITLES if rank_of(title, "pay") is not None),
        key=lambda title: (rank_of(title, "pay"), title.casefold()),
    )
    # then both give the same order, exact matches first (in either case), the non-match left out
    assert in_database[:2] in (["Pay", "pay"], ["pay", "Pay"])
    assert (
        in_database[2:]
        == in_memory[2:]
        == ["Payments", "payroll sync", "Pages to pay from", "Repay the loans"]
    )


def test_best_merges_kinds_and_says_when_there_are_more():
    # given candidates of two kinds, already ranked
    candidates = [
        (2, "b initiative", Match("initiative:1", "b initiative")),
        (1, "z objective", Match("objective:1", "z objective")),
        (2, "a objective", Match("objective:2", "a objective")),
    ]
    # when the best two are taken
    found = best(candidates, 2)
    # then by rank, then by text, and there are more
    assert [match.value for match in found.rows] == ["objective:1", "objective:2"]
    assert found.more
