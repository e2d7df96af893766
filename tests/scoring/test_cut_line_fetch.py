"""The cut line's own fetch (`scoring.cut_line`: four queries, the task sums from the kept tallies) draws
the same cut line as the full scoring inputs and as a naive row-by-row reading of a random organization."""

import random

import pytest

from scoring.cut_line import cut_line_inputs_fetch
from scoring.engine.cut_line import cut_line_calculate
from scoring.fetch import consistent_read, parameters_at, scoring_inputs_fetch
from tests.scoring.random_org import D, build_random_org, naive_inputs

pytestmark = pytest.mark.django_db


def rows(line):
    return [
        (
            e.initiative_id,
            e.status,
            e.priority,
            e.above_line,
            e.end_date,
            *(round(value, 6) for value in hours),
        )
        for e in line.entries
        for hours in [(e.remaining, e.demand, e.cumulative_demand)]
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_light_fetch_draws_the_same_line_as_the_full_inputs_and_a_naive_reading(org, seed):
    # given a random organization (initiatives of every status, tasks open, done and cancelled)
    build_random_org(org, random.Random(seed))
    org.refresh_from_db()
    parameters = parameters_at(organization=org, as_of=D)
    # when its cut line is drawn from the light fetch, the full fetch and the naive inputs
    with consistent_read():
        light = cut_line_calculate(cut_line_inputs_fetch(organization_id=org.pk, parameters=parameters))
        full = cut_line_calculate(scoring_inputs_fetch(organization_id=org.pk, parameters=parameters))
    naive = cut_line_calculate(naive_inputs(org, D))
    # then the three agree on every initiative, the capacity and the line
    assert light.entries, "the random organization has candidates"
    assert rows(light) == rows(full) == rows(naive)
    assert light.capacity == pytest.approx(full.capacity) == pytest.approx(naive.capacity)
    assert light.line_index == full.line_index == naive.line_index
