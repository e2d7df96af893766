"""Short leases that die with the process holding them.

A recompute holds its organization's RUNNING and QUEUED keys (and a client's job its row's lease)
only for LEASE_SECONDS at a time, renewed every RENEW_SECONDS by a heartbeat thread while the work
goes on. A worker killed mid-run stops renewing, so whatever it held is free again within
LEASE_SECONDS: the next change or the sweep asks again, and nothing stays `running` for good.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection

logger = logging.getLogger(__name__)

LEASE_SECONDS = 30
RENEW_SECONDS = 10


@contextmanager
def heartbeat(renew: Callable[[], None], *, every: float = RENEW_SECONDS) -> Iterator[None]:
    """Call `renew` every `every` seconds on a thread of its own until the block ends.

    A failed renewal (Redis or the database briefly gone) is logged and tried again at the next
    beat: the lease outlives a few missed beats. The thread's own database connection is closed
    when it stops.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    renew()
                except Exception:  # a missed beat must not end the work it guards
                    logger.warning("Could not renew a lease; trying again in %s s.", every, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="lease-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
