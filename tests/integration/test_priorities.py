"""The scores' recomputes go ahead of every other job waiting on the broker (Redis priorities): a
recompute that opened thousands of alerts leaves as many jobs behind it, and the next change's
recompute must not wait for them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from alerts.tasks import alerts_evaluate_task
from execgap.celery import app as celery_app
from notifications.tasks import notify_task
from scoring.recompute import scores_request_recompute
from tests.factories import OrganizationFactory
from tests.integration.conftest import RedisServer
from tests.real_services import celery_on


@pytest.fixture
def broker(redis_server: RedisServer, transactional_db: None) -> Iterator[None]:
    """This process sends its jobs to the throwaway Redis, where they wait (no worker takes them)."""
    with celery_on(redis_server.url):
        celery_app.control.purge()
        yield
        celery_app.control.purge()


def taken_in_order() -> list[str]:
    """The names of the waiting jobs in the order a worker takes them (the same priority order as a
    worker's BRPOP: the highest priority's list first, then the order sent)."""
    names: list[str] = []
    with celery_app.connection_for_read() as connection:
        channel: Any = connection.default_channel
        while (message := channel.basic_get("celery", no_ack=True)) is not None:
            names.append(message.headers["task"])
    return names


def test_a_recompute_asked_for_last_is_taken_before_the_jobs_already_waiting(broker: None) -> None:
    # given an organization, and three alert evaluations and a notification job waiting
    organization = OrganizationFactory()
    for snapshot_id in (1, 2, 3):
        alerts_evaluate_task.delay(organization.pk, snapshot_id)
    notify_task.delay([])
    # when a change asks for a recompute
    assert scores_request_recompute(organization_id=organization.pk)
    # then a worker takes the recompute first, and the others after it in the order they were sent
    assert taken_in_order() == [
        "scoring.tasks.recompute_scores_task",
        *["alerts.tasks.alerts_evaluate_task"] * 3,
        "notifications.tasks.notify_task",
    ]
