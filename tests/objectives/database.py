"""`nothing_written()`: asserts that a refused change left every ExecGap table as it was."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps

# The historical (revision) tables live in the feedback app, so they are covered too.
PROJECT_APPS = ("execgap", "objectives", "resources", "feedback")


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every ExecGap table (organizations with their stale marks, revisions, ...)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    }


@contextmanager
def nothing_written() -> Iterator[None]:
    before = database_state()
    yield
    after = database_state()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"rows were written to {changed}"
