"""Recompute requests coalesce per organization and never fail the change that asked for them."""

import pytest
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from scoring import recompute
from scoring.tasks import recompute_scores_task


@pytest.fixture
def sent(monkeypatch):
    """The requests that reached the broker, as (args, countdown)."""
    calls = []
    monkeypatch.setattr(
        recompute_scores_task,
        "apply_async",
        lambda args, countdown=None, retry=True, **kwargs: calls.append((args, countdown)),
    )
    cache.clear()
    yield calls
    cache.clear()


def test_a_burst_of_requests_for_one_organization_sends_one(sent):
    # when three changes to organization 7 and one to organization 8 ask for a recompute
    answers = [recompute.scores_request_recompute(organization_id=org_id) for org_id in (7, 7, 7, 8)]
    # then one request per organization reaches the broker, to run at once (no countdown)
    assert answers == [True, False, False, True]
    assert sent == [((7,), None), ((8,), None)]


def test_with_the_cache_or_broker_down_the_request_is_dropped_quietly(monkeypatch, sent):
    # given a shared cache that cannot be reached
    def refuse(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache, "add", refuse)
    # when a change asks for a recompute, then nothing is raised (the stale mark waits for the sweep)
    assert recompute.scores_request_recompute(organization_id=7) is False
    assert sent == []
