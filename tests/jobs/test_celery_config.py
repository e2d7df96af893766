"""What a careful operator expects of the Celery set-up and the beat schedule."""

from django.conf import settings

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


def test_the_beat_schedule_sweeps_every_minute_snapshots_daily_and_reminds_weekly():
    # given the beat schedule that django-celery-beat installs at start-up
    schedule = settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    # then each entry names a registered task
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
    # and the sweep runs every minute, the snapshot daily, the reminder weekly
    assert schedule["sweep-stale-scores"]["schedule"] == 60.0
    daily = schedule["daily-score-snapshots"]["schedule"]
    assert (daily.hour, daily.day_of_week) == ({0}, set(range(7)))
    # and the task tallies are checked (and repaired) every night, before the day's snapshots read them
    repair = schedule["daily-task-tally-repair"]["schedule"]
    assert (repair.hour, repair.day_of_week) == ({0}, set(range(7)))
    assert min(repair.minute) < min(daily.minute)
    weekly = schedule["weekly-checkin-reminders"]["schedule"]
    assert weekly.day_of_week == {1}
