"""Real services for the integration tests: a Redis server and Celery worker processes.

The worker processes use the test database (PostgreSQL: a second process cannot see SQLite's
in-memory test database), so these tests use `transactional_db` and commit for real. The services
themselves live in `tests.real_services`, shared with the browser tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.real_services import (
    NEEDS_POSTGRESQL,
    ROOT,
    RedisServer,
    Worker,
    celery_on,
    database_url,
    free_port,
    redis_cache_settings,
    redis_server_running,
    wait_for,
    worker_environment,
)

__all__ = ["ROOT", "RedisServer", "Worker", "database_url", "free_port", "wait_for"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(autouse=True)
def _needs_postgresql(request: pytest.FixtureRequest) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    with redis_server_running() as server:
        yield server


@pytest.fixture
def celery_stack(
    redis_server: RedisServer, transactional_db: None, settings: Any, tmp_path: Path
) -> Iterator[Worker]:
    """This process and one worker process, both on the throwaway Redis and the test database."""
    settings.CACHES = redis_cache_settings(redis_server.url)
    settings.EXECGAP_SCORES_SWEEP_GRACE_SECONDS = 0
    with celery_on(redis_server.url):
        worker = Worker(env=worker_environment(redis_server.url), log=tmp_path / "worker.log")
        worker.start()
        try:
            yield worker
        finally:
            worker.stop()
