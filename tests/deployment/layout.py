"""What the deployment tests read: docker-compose.yml, the gunicorn settings, the variables the
settings and .env.example name, and a way to start Django with a given environment."""

from __future__ import annotations

import ast
import inspect
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


GUNICORN_CONFIG = ROOT / "execgap" / "gunicorn_config.py"


GUNICORN_CONFIG_OPTION = "--config=python:execgap.gunicorn_config"


APP_SERVICES = ("migrate", "web", "worker", "outbound", "beat")


LONG_RUNNING_APP_SERVICES = ("web", "worker", "outbound", "beat")


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
