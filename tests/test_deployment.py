"""The production layout and the start-up rules of the settings.

No container engine runs where the suite runs, so these tests read docker-compose.yml, the Dockerfile and
.env.example, and check that every command, module, class and variable they name exists in the code.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import runpy
import secrets
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from celery.beat import Scheduler
from django.conf import settings
from django.core.management import get_commands
from gunicorn.config import Config as GunicornConfig
from kombu.utils.imports import symbol_by_name

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = ROOT / "execgap" / "gunicorn_config.py"
GUNICORN_CONFIG_OPTION = "--config=python:execgap.gunicorn_config"
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def command_of(service: dict[str, Any]) -> list[str]:
    """A service's command as a list of words, whether written as a list or as one string."""
    command = service["command"]
    return command if isinstance(command, list) else command.split()


def settings_variables() -> set[str]:
    """The environment variables execgap/settings reads: env("X"), env.<type>("X"), os.environ / getenv,
    and through the settings' own helpers that read the variable named by their first argument."""
    settings_path = ROOT / "execgap" / "settings.py"
    sources = (
        [settings_path] if settings_path.exists() else sorted((ROOT / "execgap" / "settings").glob("*.py"))
    )
    return environment_variables(sources)


def gunicorn_variables() -> set[str]:
    """The environment variables the gunicorn settings file reads (the same ways as the settings)."""
    return environment_variables([GUNICORN_CONFIG])


def environment_variables(sources: list[Path]) -> set[str]:
    trees = [ast.parse(source.read_text()) for source in sources]
    helpers = {node.name for tree in trees for node in ast.walk(tree) if _reads_its_first_argument(node)}
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _reads_environment(node.func, helpers):
                first = node.args[0]
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                first = node.slice
            else:
                continue
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def _reads_environment(func: ast.expr, helpers: frozenset[str] | set[str] = frozenset()) -> bool:
    called = ast.unparse(func)
    return (
        called in {"env", "os.getenv", "os.environ.get", *helpers}
        or re.fullmatch(r"env\.\w+", called) is not None
    )


def _reads_its_first_argument(node: ast.AST) -> bool:
    """A helper such as `def rate(variable, default): return env.str(variable, default=default)`."""
    if not isinstance(node, ast.FunctionDef) or not node.args.args:
        return False
    parameter = node.args.args[0].arg
    return any(
        isinstance(call, ast.Call)
        and bool(call.args)
        and _reads_environment(call.func)
        and ast.unparse(call.args[0]) == parameter
        for call in ast.walk(node)
    )


def env_example_variables() -> set[str]:
    """Names set in .env.example, commented out (documented default) or not."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def interpolated(value: str) -> str:
    """A compose value with each ${VARIABLE...} replaced by a plain word, as compose would fill it in."""
    return re.sub(r"\$\{[^}]*\}", "value", value)


def compose_interpolations() -> set[str]:
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (ROOT / "docker-compose.yml").read_text()))


def test_gunicorn_variables_are_found():
    # given the gunicorn settings file, which reads its variables through a helper
    # when its environment variables are collected
    names = gunicorn_variables()
    # then every setting it lets the environment override is found
    assert {"GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_KEEPALIVE"} <= names


def test_settings_variables_are_found():
    # given the settings module
    # when its environment variables are collected
    names = settings_variables()
    # then the ones every deployment sets are among them (the collector sees env.<type>("X") calls)
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= names


def test_compose_has_exactly_the_production_services(compose):
    # then the layout is the database, the broker, a one-shot migration, the web server, worker and beat
    assert set(services(compose)) == {"db", "redis", "migrate", "web", "worker", "beat"}


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


def gunicorn_settings(environment: dict[str, str] | None = None) -> dict[str, Any]:
    """The gunicorn settings file as gunicorn reads it (its module-level names), run afresh in the given
    environment (only GUNICORN_* of the test's own are kept out)."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith("GUNICORN_")}
    with pytest.MonkeyPatch.context() as patch:
        for name in set(os.environ) - set(kept):
            patch.delenv(name)
        for name, value in (environment or {}).items():
            patch.setenv(name, value)
        module = runpy.run_path(str(GUNICORN_CONFIG))
    imported = {"annotations"}  # from __future__
    return {
        name: value
        for name, value in module.items()
        if not name.startswith("_")
        and name not in imported
        and not inspect.ismodule(value)
        and not inspect.isclass(value)
    }


def seconds(duration: str) -> float:
    """A compose duration such as "30s", "1m30s" or "500ms", in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(h|ms|us|m|s)", duration)
    assert "".join(number + unit for number, unit in parts) == duration, duration
    return sum(float(number) * units[unit] for number, unit in parts)


def test_web_and_the_image_start_gunicorn_with_its_settings_file(compose):
    # given the web service's command and the image's own
    web = command_of(services(compose)["web"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    [cmd] = re.findall(r"^CMD\s+(\[.*\])\s*$", dockerfile, flags=re.MULTILINE)
    # then both are the same gunicorn command, with the settings file and nothing it should decide
    assert json.loads(cmd) == web
    assert GUNICORN_CONFIG_OPTION in web
    decided = ("--workers", "-w", "--threads", "--timeout", "-t", "--keep-alive", "--max-requests", "-k")
    assert not [word for word in web if word.split("=")[0] in decided]


def test_every_name_of_the_gunicorn_settings_file_is_a_gunicorn_setting():
    # given gunicorn's own settings (it silently ignores a name it does not know in a settings file)
    known = set(GunicornConfig().settings)
    # when the file is read
    names = set(gunicorn_settings())
    # then every name in it is one of them: a misspelled setting would be no setting at all
    assert names <= known, names - known


def test_gunicorn_accepts_every_value_and_each_is_the_one_chosen(compose):
    # given the file's settings, as gunicorn validates them
    config = GunicornConfig()
    for name, value in gunicorn_settings({}).items():
        if name in config.settings:
            config.set(name, value)
    # then threads serve in each worker (keep-alive needs them: the sync worker closes each connection)
    assert config.worker_class_str == "gthread"
    assert config.threads > 1
    assert config.workers >= 3
    # and a silent worker is replaced, and requests in flight finish before Docker's SIGKILL
    assert config.timeout > 0
    stop_grace = seconds(services(compose)["web"]["stop_grace_period"])
    assert 0 < config.graceful_timeout < stop_grace
    # and idle connections outlive the proxy's own (60 s), so the proxy closes them, not gunicorn
    assert config.keepalive > 60
    # and workers are recycled, never all at once
    assert config.max_requests > 0
    assert 0 < config.max_requests_jitter < config.max_requests
    # and nothing else of the machine is shared: no control socket
    assert config.control_socket_disable is True


def test_the_environment_overrides_the_gunicorn_settings():
    # given each override of .env.example
    environment = {
        "GUNICORN_BIND": "127.0.0.1:9000", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "8",
        "GUNICORN_TIMEOUT": "60", "GUNICORN_GRACEFUL_TIMEOUT": "20", "GUNICORN_KEEPALIVE": "5",
        "GUNICORN_MAX_REQUESTS": "100", "GUNICORN_MAX_REQUESTS_JITTER": "10",
    }  # fmt: skip
    assert set(environment) == gunicorn_variables()
    # when the settings file is read with them
    chosen = gunicorn_settings(environment)
    # then each setting takes its variable's value
    assert chosen["bind"] == "127.0.0.1:9000"
    assert (chosen["workers"], chosen["threads"], chosen["timeout"]) == (2, 8, 60)
    assert (chosen["graceful_timeout"], chosen["keepalive"]) == (20, 5)
    assert (chosen["max_requests"], chosen["max_requests_jitter"]) == (100, 10)


@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_gunicorn_reads_the_settings_file_of_the_web_command(compose):
    # given the web service's command, in a production environment
    command = command_of(services(compose)["web"])
    env = {
        "DJANGO_SETTINGS_MODULE": "execgap.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "execgap.example.com",
        "GUNICORN_WORKERS": "3",
    }
    # when gunicorn prints the settings it would run with (it loads the application to check it)
    result = run_django(["-m", "gunicorn", *command[1:], "--print-config"], env)
    # then they are the file's, with the environment's override
    assert result.returncode == 0, result.stderr
    printed = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE))
    assert printed["worker_class"] == "gthread"
    assert printed["workers"] == "3"
    assert printed["bind"] == "['0.0.0.0:8000']"
    assert printed["keepalive"] == str(gunicorn_settings()["keepalive"])
    assert printed["max_requests"] == str(gunicorn_settings()["max_requests"])


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_load_the_execgap_celery_app(compose, name):
    # given the celery command
    command = command_of(services(compose)[name])
    assert command[:2] == ["celery", "-A"]
    # when celery looks the app up as it does at start-up
    app = find_app(command[2])
    # then it finds ExecGap's app
    assert isinstance(app, Celery)
    assert app is symbol_by_name("execgap.celery:app")
    assert command[3] == name


def test_beat_uses_the_database_scheduler_of_the_settings(compose):
    # given the beat service's --scheduler
    command = command_of(services(compose)["beat"])
    scheduler_path = command[command.index("--scheduler") + 1]
    # then it is the scheduler the settings name, and the class imports
    assert scheduler_path == settings.CELERY_BEAT_SCHEDULER
    assert issubclass(symbol_by_name(scheduler_path), Scheduler)


def test_app_services_set_only_variables_that_settings_read(compose):
    known = settings_variables()
    for name in APP_SERVICES:
        # given the environment compose gives the service
        environment = services(compose)[name]["environment"]
        # then each variable is one the settings read (a misspelled one would be silently ignored)
        assert set(environment) <= known, (name, set(environment) - known)
        # and production runs with DEBUG off, on PostgreSQL and Redis from this layout
        assert environment["DJANGO_DEBUG"] == "false"
        database_url = urlsplit(interpolated(environment["DATABASE_URL"]))
        assert (database_url.scheme, database_url.hostname) == ("postgres", "db")
        assert urlsplit(interpolated(environment["REDIS_URL"])).hostname == "redis"
        assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"} <= set(environment)


def test_env_example_documents_every_setting_and_nothing_else():
    listed = env_example_variables()
    # then every variable the settings and the gunicorn settings file read is listed
    assert settings_variables() <= listed, settings_variables() - listed
    assert gunicorn_variables() <= listed, gunicorn_variables() - listed
    # and every listed variable is read by either, or used by docker-compose.yml
    assert listed <= settings_variables() | gunicorn_variables() | compose_interpolations()
    # and every variable docker-compose.yml interpolates is listed
    assert compose_interpolations() <= listed


def test_env_example_comments_each_variable():
    # given .env.example, line by line
    lines = (ROOT / ".env.example").read_text().splitlines()
    is_variable = re.compile(r"^#?[A-Z][A-Z0-9_]*=").match
    for index, line in enumerate(lines):
        if is_variable(line):
            # then each variable (or group of variables) comes right after a comment that explains it
            above = index - 1
            while above >= 0 and is_variable(lines[above]):
                above -= 1
            assert above >= 0, line
            assert lines[above].startswith("# "), line


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


def test_readme_opens_with_the_two_commands():
    # given the first lines of the README
    first_lines = (ROOT / "README.md").read_text().splitlines()[:2]
    # then they are the run and the test command, and the Makefile and bin/ scripts behind them exist
    assert [line.strip().strip("`") for line in first_lines] == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, flags=re.MULTILINE)
    assert re.search(r"^test:", makefile, flags=re.MULTILINE)
    for script in ("bin/run", "bin/test", ".ci/run"):
        assert (ROOT / script).stat().st_mode & stat.S_IXUSR, script


def run_django(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs Python in a fresh process at the repository root with only `env` (and PATH) set."""
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_start_up_fails_loudly_without_a_secret_key_when_debug_is_off():
    # given DEBUG off and no secret key (set empty rather than absent: a developer's .env must not supply it)
    env = {"DJANGO_SETTINGS_MODULE": "execgap.settings", "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""}
    # when Django starts
    result = run_django(["-c", "import django; django.setup()"], env)
    # then it refuses, naming the missing setting
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    # given the environment of a production deployment
    env = {
        "DJANGO_SETTINGS_MODULE": "execgap.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "execgap.example.com",
        "DJANGO_SECURE_SSL_REDIRECT": "true",
    }
    # when Django's deployment checklist runs
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    # then it finds nothing to warn about
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
