"""The benchmark's recompute measures (`scoring.benchmark.measure`)."""

from __future__ import annotations

import pytest

from resources.models import Person
from scoring.benchmark.measure import recompute_after_node_write_timing, timed_runs
from scoring.models import ScoreSnapshot
from tests.factories import OrganizationFactory, PersonFactory


def test_timed_runs_time_each_run_after_its_untimed_preparation() -> None:
    # given a run and a preparation that record their order
    calls: list[str] = []
    # when two runs are timed after one warm-up
    timing = timed_runs(lambda: calls.append("run"), runs=2, warmups=1, before=lambda: calls.append("before"))
    # then the warm-up has no preparation, and each timed run follows its own
    assert calls == ["run", "before", "run", "before", "run"]
    assert len(timing.runs) == 2
    assert timing.warmups == 1


@pytest.mark.django_db
def test_the_recompute_after_a_node_write_renames_a_person_before_each_run() -> None:
    # given an organization with two people
    org = OrganizationFactory()
    first, second = PersonFactory(organization=org, name="Ann"), PersonFactory(organization=org, name="Bo")
    # when R after a node write is measured over three runs
    timing = recompute_after_node_write_timing(org.pk, runs=3)
    # then each run recomputed once, after the first person was renamed anew (the others untouched)
    assert len(timing.runs) == 3
    assert ScoreSnapshot.objects.for_org(org).count() == 3
    assert Person.objects.get(pk=first.pk).name == "Renamed person 2"
    assert Person.objects.get(pk=second.pk).name == "Bo"
