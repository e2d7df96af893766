"""The production services of docker-compose.yml and the Dockerfile: no container engine runs where
the suite runs, so each command, module and class they name is checked to exist in the code."""

from __future__ import annotations

import re

import pytest
from celery import Celery
from celery.app.utils import find_app
from celery.beat import Scheduler
from django.conf import settings
from django.core.management import get_commands
from kombu.utils.imports import symbol_by_name

from tests.deployment.layout import (
    APP_SERVICES,
    LONG_RUNNING_APP_SERVICES,
    ROOT,
    command_of,
    services,
)


def test_compose_has_exactly_the_production_services(compose):
    # then the layout is the database, the broker, a one-shot migration, the web server, the worker, the
    # outbound worker (webhook deliveries) and beat
    assert set(services(compose)) == {"db", "redis", "migrate", "web", "worker", "outbound", "beat"}


def test_exactly_one_service_runs_beat_with_one_replica(compose):
    # given every service's command
    beats = [name for name, service in services(compose).items()
             if "command" in service and "beat" in command_of(service)]  # fmt: skip
    # then only `beat` runs Celery beat, and never more than one copy of it: two would double every task
    assert beats == ["beat"]
    assert services(compose)["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert "scale" not in services(compose)["beat"]


def test_database_and_broker_have_healthchecks(compose):
    db, redis = services(compose)["db"], services(compose)["redis"]
    # then PostgreSQL 15 is healthy when pg_isready says so, and Redis when it answers a ping
    assert db["image"] == "postgres:15"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert redis["image"].split(":")[0] == "redis"
    assert redis["image"].split(":")[1].startswith("7")
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])
    # and both keep their data in a named volume
    for service in (db, redis):
        volume = service["volumes"][0].split(":")[0]
        assert volume in compose["volumes"]


def test_migrate_waits_for_the_database_and_the_rest_wait_for_migrate(compose):
    healthy = {"condition": "service_healthy"}
    # then migrate starts once the database is healthy, and runs once
    assert services(compose)["migrate"]["depends_on"] == {"db": healthy}
    assert services(compose)["migrate"]["restart"] == "no"
    # and web, worker and beat start on a healthy database and broker, after migrate succeeded
    for name in LONG_RUNNING_APP_SERVICES:
        assert services(compose)[name]["depends_on"] == {
            "db": healthy,
            "redis": healthy,
            "migrate": {"condition": "service_completed_successfully"},
        }, name


def test_migrate_runs_management_commands_that_exist(compose):
    # given the migrate service's command line
    command_line = " ".join(command_of(services(compose)["migrate"]))
    named = re.findall(r"manage\.py\s+(\w+)", command_line)
    # then it migrates and collects the static files, with commands Django knows
    assert named == ["migrate", "collectstatic"]
    assert set(named) <= set(get_commands())
    assert "--noinput" in command_line


@pytest.mark.filterwarnings(
    "ignore:No directory at:UserWarning"
)  # collectstatic's folder: built in production
def test_web_serves_the_wsgi_application(compose):
    # given the web service's gunicorn command
    command = command_of(services(compose)["web"])
    assert command[0] == "gunicorn"
    [target] = [word for word in command[1:] if not word.startswith("-")]
    module, attribute = target.split(":")
    # then it names the WSGI application of the settings
    assert f"{module}.{attribute}" == settings.WSGI_APPLICATION
    assert callable(symbol_by_name(target))


@pytest.mark.parametrize(
    ("name", "program"), [("worker", "worker"), ("outbound", "worker"), ("beat", "beat")]
)
def test_workers_and_beat_load_the_execgap_celery_app(compose, name, program):
    # given the celery command
    command = command_of(services(compose)[name])
    assert command[:2] == ["celery", "-A"]
    # when celery looks the app up as it does at start-up
    app = find_app(command[2])
    # then it finds ExecGap's app
    assert isinstance(app, Celery)
    assert app is symbol_by_name("execgap.celery:app")
    assert command[3] == program


def _queues(command: list[str]) -> list[str]:
    """The queues a `celery worker` command consumes (-Q), or the default queue without one."""
    if "-Q" not in command:
        return [symbol_by_name("execgap.celery:app").conf.task_default_queue]
    return command[command.index("-Q") + 1].split(",")


def test_webhook_deliveries_have_a_worker_of_their_own_and_recomputes_never_wait_on_them(compose):
    # given the routes of the settings, and what each worker consumes
    app = symbol_by_name("execgap.celery:app")

    def queue_of(task: str) -> str:  # a route without a queue sends to the default one
        queue = app.amqp.router.route({}, task).get("queue")
        return queue.name if queue is not None else app.conf.task_default_queue

    worker = _queues(command_of(services(compose)["worker"]))
    outbound = _queues(command_of(services(compose)["outbound"]))
    # then the webhook jobs go to the outbound queue, which only the outbound worker consumes
    assert queue_of("webhooks.tasks.deliver_task") == settings.OUTBOUND_QUEUE
    assert queue_of("webhooks.tasks.send_due_deliveries_task") == settings.OUTBOUND_QUEUE
    assert outbound == [settings.OUTBOUND_QUEUE]
    assert settings.OUTBOUND_QUEUE not in worker
    # and the recomputes and every other job to the queue the worker consumes
    assert queue_of("scoring.tasks.recompute_scores_task") in worker
    assert queue_of("alerts.tasks.alerts_evaluate_task") in worker
    # and the outbound worker has a name of its own, which its health check pings
    command = command_of(services(compose)["outbound"])
    assert command[command.index("-n") + 1] == "outbound@%h"


def test_beat_uses_the_database_scheduler_of_the_settings(compose):
    # given the beat service's --scheduler
    command = command_of(services(compose)["beat"])
    scheduler_path = command[command.index("--scheduler") + 1]
    # then it is the scheduler the settings name, and the class imports
    assert scheduler_path == settings.CELERY_BEAT_SCHEDULER
    assert issubclass(symbol_by_name(scheduler_path), Scheduler)


def test_the_image_is_python_311_slim_and_runs_as_a_user(compose):
    # given the Dockerfile every app service builds
    for name in APP_SERVICES:
        assert services(compose)[name]["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text()
    # then it starts from Python 3.11 and does not run as root
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, flags=re.MULTILINE)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}
    # and the secrets and the developer's files stay out of the build context
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "db.sqlite3", ".git"} <= set(ignored)
