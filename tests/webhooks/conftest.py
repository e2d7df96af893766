from collections.abc import Iterator
from typing import Any

import pytest

from tests.webhooks.receiver import Receiver, start


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
