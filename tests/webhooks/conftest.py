from collections.abc import Iterator
from typing import Any

import pytest

from execgap.celery import app as celery_app
from tests.webhooks.receiver import Receiver, start


@pytest.fixture(autouse=True)
def _deliveries_in_process() -> Iterator[None]:
    """Deliveries run in the test's process once the change commits (Celery eager), with or without a
    broker in the environment: these tests are about what is sent; the browser test has a real worker."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    """A local receiver; webhooks may reach loopback addresses while it runs, with short timeouts."""
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.EXECGAP_WEBHOOK_CONNECT_TIMEOUT_SECONDS = 1.0
    settings.EXECGAP_WEBHOOK_READ_TIMEOUT_SECONDS = 0.5
    found = start()
    yield found
    found.server.shutdown()
    found.server.server_close()
