"""The layers run one way (STYLE.md): `execgap/` is the shell and the organization core, the plan apps
stand on it, `scoring/` stands on all of them and `scenarios/` on the scores. An arrow that runs
upward fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = (
    *("execgap", "objectives", "resources", "feedback", "accounts", "scoring", "scenarios"),
    *("alerts", "notifications", "webhooks"),
)
# The apps that tell people what happened stand on everything else, and hear of it through
# `execgap.events`: nothing below them imports them.
OUTREACH_APPS = ("alerts", "notifications", "webhooks")
PLAN_APPS = ("objectives", "resources", "feedback", "accounts")

# The demo and its command fill every app with an organization: they sit on top of all of them.
ON_TOP = ("execgap/demo/", "execgap/management/commands/seed_demo.py")
# The organization core reads who a member is (their person, for the role scopes): the one arrow
# from the shell into an app, named here so that it cannot spread unnoticed.
SHELL_READS_PEOPLE = {"execgap/roles.py", "execgap/web/pages.py"}


def _modules_of(package: str) -> list[Path]:
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def _imported_apps(path: Path) -> set[str]:
    """The first-party apps a module imports, at its top or inside a function."""
    apps: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        apps.update(name.split(".")[0] for name in names if name.split(".")[0] in APPS)
    return apps


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("package", PLAN_APPS)
def test_no_plan_app_imports_scoring(package):
    # given every module of a plan app
    # when we read what it imports
    offenders = [_relative(path) for path in _modules_of(package) if "scoring" in _imported_apps(path)]
    # then none reaches up into the scoring app (hooks in `execgap.hooks` carry what it provides)
    assert offenders == []


# The benchmark measures every app, scenarios included: it sits on top of them, as the demo does.
MEASURES_EVERYTHING = ("scoring/benchmark/", "scoring/management/commands/benchmark.py")


@pytest.mark.parametrize("package", [*PLAN_APPS, "scoring"])
def test_no_app_below_imports_scenarios(package):
    # given every module of the plan apps and of the scoring engine (less the benchmark on top)
    modules = [path for path in _modules_of(package) if not _relative(path).startswith(MEASURES_EVERYTHING)]
    # when we read what they import
    offenders = [_relative(path) for path in modules if "scenarios" in _imported_apps(path)]
    # then none reaches up into the scenarios, which stand on the scores
    assert offenders == []


@pytest.mark.parametrize("package", [*PLAN_APPS, "scoring", "scenarios"])
def test_no_app_below_imports_the_outreach_apps(package):
    # given every module of the plan apps, the scores and the scenarios (less the benchmark on top)
    modules = [path for path in _modules_of(package) if not _relative(path).startswith(MEASURES_EVERYTHING)]
    # when we read what they import
    offenders = [
        f"{_relative(path)} imports {sorted(reached)}"
        for path in modules
        if (reached := _imported_apps(path) & set(OUTREACH_APPS))
    ]
    # then none reaches up into alerts, notifications or webhooks: they subscribe to events instead
    assert offenders == []


def test_webhooks_stand_on_events_alone():
    # given the webhooks app
    offenders = [
        _relative(path)
        for path in _modules_of("webhooks")
        if _imported_apps(path) & {"alerts", "notifications"}
    ]
    # then it knows alerts and notifications only as events (their kinds and data), never their modules
    assert offenders == []


def test_the_shell_imports_no_app():
    # given the project shell, less the demo on top of everything
    modules = [path for path in _modules_of("execgap") if not _relative(path).startswith(ON_TOP)]
    offenders = []
    for path in modules:
        allowed = {"execgap"} | ({"resources"} if _relative(path) in SHELL_READS_PEOPLE else set())
        reached = _imported_apps(path) - allowed
        if reached:
            offenders.append(f"{_relative(path)} imports {sorted(reached)}")
    # then it imports no app: URLs name them by dotted path and hooks bring the scores in
    assert offenders == []


def test_the_check_sees_an_upward_import(tmp_path):
    # given a module that imports the scoring app inside a function
    module = tmp_path / "upward.py"
    module.write_text("def f():\n    from scoring.recompute import scores_request_recompute\n")
    # then the check finds it
    assert _imported_apps(module) == {"scoring"}
