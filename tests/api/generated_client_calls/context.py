"""What every group of calls is built from: the call itself, and the organization's rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tests.api.organization_rows import OrganizationRows

SLUG = "acme"
JIRA_CSV = b"Issue key,Summary,Status\nDE-3,Translate the app,To Do\n"

Arguments = Callable[[Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    """One operation called: by `role`'s token, with the arguments `arguments(m, made)` builds from the
    generated models `m` and what earlier calls made; `keep` names its answer for later calls."""

    operation: str
    status: int
    arguments: Arguments
    role: str = "admin"
    keep: str | None = None


def no_arguments(m: Any, made: dict[str, Any]) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Context:
    """The organization's rows and the day the calls are made."""

    rows: OrganizationRows
    today: date

    @property
    def ids(self) -> dict[str, list[int]]:
        return self.rows.ids

    @property
    def root(self) -> int:
        return self.ids["objectives"][0]

    @property
    def org(self) -> dict[str, Any]:
        return {"org": SLUG}

    def row(self, collection: str, index: int = 0) -> Arguments:
        """The arguments that address the `index`th row the organization was given of `collection`."""
        org, ids = self.org, self.ids
        return lambda m, made: {**org, "id": ids[collection][index]}

    def made_row(self, name: str, **more: Callable[[Any], Any]) -> Arguments:
        """The arguments that address the row an earlier call kept as `name`, with `more` built."""
        org = self.org
        return lambda m, made: {**org, "id": made[name].id, **{key: build(m) for key, build in more.items()}}
