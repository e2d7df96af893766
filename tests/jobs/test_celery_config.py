"""What a careful operator expects of the Celery set-up and the beat schedule."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from kombu.transport import redis as kombu_redis

from execgap.celery import app


def test_tasks_are_json_only_acknowledged_late_and_bounded_in_time():
    # given the Celery app configured from Django settings
    conf = app.conf
    # then only JSON crosses the broker, tasks are acknowledged after they ran, and time is bounded
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.result_serializer == "json"
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    # and an unacknowledged task is not redelivered while it may still be running
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_publish_retry is True
    assert conf.task_publish_retry_policy["max_retries"] >= 1
    assert conf.worker_enable_soft_shutdown_on_idle is True
    assert conf.worker_soft_shutdown_timeout > 0


def test_a_worker_keeps_reconnecting_to_a_lost_broker_and_hands_back_what_it_was_running():
    conf = app.conf
    # then the worker never gives up on the broker (Celery's default exits after 100 tries)
    assert conf.broker_connection_retry is True
    assert conf.broker_connection_retry_on_startup is True
    assert conf.broker_connection_max_retries is None
    # and the tasks it was running when the broker went are cancelled and delivered again
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is True


def test_a_redis_channel_whose_connection_closed_raises_a_connection_error_not_an_attribute_error():
    # given a channel of a broker connection that has since been closed (kombu#582, kombu#970)
    channel = kombu_redis.Channel.__new__(kombu_redis.Channel)
    channel.connection = SimpleNamespace(client=None)
    # when it would open a Redis client (to acknowledge or restore a message), then it raises the
    # connection error the worker reconnects on, not the AttributeError it exits on
    with pytest.raises(kombu_redis.Transport.connection_errors):
        channel._connparams()


def test_the_beat_schedule_sweeps_thrice_a_minute_snapshots_daily_and_reminds_weekly():
    # given the beat schedule that django-celery-beat installs at start-up
    schedule = settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    # then each entry names a registered task
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
    # and the sweep runs every 20 s (a run lost with its worker is redone within a minute), the snapshot
    # daily, the reminder weekly
    assert schedule["sweep-stale-scores"]["schedule"] == 20.0
    daily = schedule["daily-score-snapshots"]["schedule"]
    assert (daily.hour, daily.day_of_week) == ({0}, set(range(7)))
    # and the task tallies are checked (and repaired) every night, before the day's snapshots read them
    repair = schedule["daily-task-tally-repair"]["schedule"]
    assert (repair.hour, repair.day_of_week) == ({0}, set(range(7)))
    assert min(repair.minute) < min(daily.minute)
    weekly = schedule["weekly-checkin-reminders"]["schedule"]
    assert weekly.day_of_week == {1}
