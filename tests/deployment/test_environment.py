"""The variables and start-up rules of the settings: what the services set, what .env.example
documents, the README's two commands, and refusing to start without a secret key."""

from __future__ import annotations

import re
import secrets
import stat
from urllib.parse import urlsplit

from tests.deployment.layout import (
    APP_SERVICES,
    ROOT,
    compose_interpolations,
    env_example_variables,
    gunicorn_variables,
    interpolated,
    run_django,
    services,
    settings_variables,
)


def test_settings_variables_are_found():
    # given the settings module
    # when its environment variables are collected
    names = settings_variables()
    # then the ones every deployment sets are among them (the collector sees env.<type>("X") calls)
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= names


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
