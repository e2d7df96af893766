"""A roll of the tally window never misses a task write that has not committed yet (PostgreSQL).

The write's trigger counts into `recent` by the window it sees; a roll recounts `recent` from the day
rows it can see. Without the window lock a roll running beside an uncommitted write recounts without
it, and the write (counted by the old window) lands after: the task is missing from `recent` for good.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction

from objectives.models import TaskStatus
from objectives.tallies import NO_DAY, tallies_drift, tallies_kept, tallies_window_roll
from tests.factories import ObjectiveFactory, OrganizationFactory, TaskFactory, TeamFactory

D = date(2027, 1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_roll_waits_for_a_write_in_flight_and_counts_it():
    # given a window on [D − 28, D − 1]
    org = OrganizationFactory(slug="race")
    team, objective = TeamFactory(organization=org), ObjectiveFactory(organization=org)
    tallies_window_roll(
        organization_id=org.pk, first_day=D - timedelta(days=28), last_day=D - timedelta(days=1)
    )
    written, rolling, failures = threading.Event(), threading.Event(), []

    def write() -> None:
        # a task done on D (outside the old window) is written, and commits only once a roll to
        # [D − 27, D] has started
        try:
            with transaction.atomic():
                TaskFactory(
                    organization=org,
                    objective=objective,
                    team=team,
                    status=TaskStatus.DONE,
                    effort_hours=Decimal(3),
                    completed_at=datetime(D.year, D.month, D.day, 9, tzinfo=UTC),
                )
                written.set()
                rolling.wait(timeout=10)
                threading.Event().wait(0.5)  # the roll is now running beside the write
        except Exception as error:  # noqa: BLE001  # reported by the test below
            failures.append(error)
        finally:
            connection.close()

    def roll() -> None:
        try:
            written.wait(timeout=10)
            rolling.set()
            tallies_window_roll(organization_id=org.pk, first_day=D - timedelta(days=27), last_day=D)
        except Exception as error:  # noqa: BLE001
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write), threading.Thread(target=roll)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then both finished, the roll counted the task, and the tallies agree with a recount
    assert failures == []
    recent = tallies_kept(organization_id=org.pk)[(org.pk, objective.pk, 0, team.pk, "recent", NO_DAY)]
    assert (recent.tasks, recent.effort) == (1, Decimal("3.00"))
    assert tallies_drift(organization_id=org.pk) == {}
