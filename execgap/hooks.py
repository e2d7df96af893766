"""Hooks: how a lower layer starts or reads something that only an upper layer provides.

The layers run one way: `execgap/` imports no app, and `objectives/`, `resources/` and `feedback/` do
not import `scoring/`. Where one of them must ask for a recompute, or show the latest scores, it calls
a hook that the upper layer fills in at start-up (`AppConfig.ready`), never an import of it.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

F = TypeVar("F")


class Hook(Generic[F]):
    """One function, provided by the app above and called by the layers below."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._function: F | None = None

    def provide(self, function: F) -> None:
        self._function = function

    @property
    def call(self) -> F:
        if self._function is None:
            raise ImproperlyConfigured(
                f"Nothing provides the hook {self.name!r}: is the scoring app installed?"
            )
        return self._function
