"""Worker and beat come back by themselves: a restart policy and a health check each (docker-compose.yml),
and the commands those health checks run exist and answer as Docker expects."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from tests.deployment.layout import interpolated, seconds, services


@pytest.mark.parametrize("name", ["worker", "outbound", "beat"])
def test_workers_and_beat_restart_by_themselves_and_report_their_health(compose, name):
    service = services(compose)[name]
    # then Docker starts it again whenever it exits (an unrecoverable error, an out-of-memory kill)
    assert service["restart"] in {"always", "unless-stopped"}
    # and it has a health check that Docker runs on a schedule, with room to start and to answer
    check = service["healthcheck"]
    assert check["test"][0] in {"CMD", "CMD-SHELL"}
    assert seconds(check["timeout"]) < seconds(check["interval"])
    assert check["retries"] >= 2
    assert seconds(check["start_period"]) >= 30


@pytest.mark.parametrize(("name", "node"), [("worker", "celery"), ("outbound", "outbound")])
def test_a_worker_is_healthy_when_it_answers_a_ping_through_the_broker(compose, name, node):
    # given the worker's health check command
    [command] = services(compose)[name]["healthcheck"]["test"][1:]
    words = interpolated(command).split()
    # then it pings this very worker (its node name is <node>@<container hostname>) through the broker
    assert words[:5] == ["celery", "-A", "execgap", "inspect", "ping"]
    assert words[words.index("--destination") + 1] == f"{node}@$$HOSTNAME"


def test_beat_is_healthy_when_it_sent_the_sweep_lately(compose):
    # given beat's health check command
    test = services(compose)["beat"]["healthcheck"]["test"]
    assert test[1:4] == ["python", "manage.py", "beat_health"]
    assert "beat_health" in get_commands()
    within = int(test[test.index("--within") + 1])
    # then it allows for the sweep's period and for beat writing its runs every few minutes only
    assert within > settings.CELERY_BEAT_SCHEDULE["sweep-stale-scores"]["schedule"]
    assert within > DatabaseScheduler.sync_every


@pytest.mark.django_db
def test_beat_health_fails_until_beat_sent_the_sweep_and_again_once_it_stops():
    task = settings.CELERY_BEAT_SCHEDULE["sweep-stale-scores"]["task"]
    # given beat has never run: unhealthy
    with pytest.raises(CommandError, match="never"):
        call_command("beat_health", "--within", "300")
    # given beat sent the sweep a minute ago: healthy
    every = IntervalSchedule.objects.create(every=20, period=IntervalSchedule.SECONDS)
    sweep = PeriodicTask.objects.create(
        name="sweep-stale-scores",
        task=task,
        interval=every,
        last_run_at=timezone.now() - timedelta(minutes=1),
    )
    call_command("beat_health", "--within", "300")
    # given beat last sent it ten minutes ago (it stopped): unhealthy
    PeriodicTask.objects.filter(pk=sweep.pk).update(last_run_at=timezone.now() - timedelta(minutes=10))
    with pytest.raises(CommandError, match="within 300 s"):
        call_command("beat_health", "--within", "300")
