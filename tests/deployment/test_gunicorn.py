"""The production gunicorn settings: the file the web command names, its values, and the environment
that overrides them."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from gunicorn.config import Config as GunicornConfig

from tests.deployment.layout import (
    GUNICORN_CONFIG_OPTION,
    ROOT,
    command_of,
    gunicorn_settings,
    gunicorn_variables,
    run_django,
    seconds,
    services,
)


def test_gunicorn_variables_are_found():
    # given the gunicorn settings file, which reads its variables through a helper
    # when its environment variables are collected
    names = gunicorn_variables()
    # then every setting it lets the environment override is found
    assert {"GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_KEEPALIVE"} <= names


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
