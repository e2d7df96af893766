"""Python's cycle collector, paused while the engine builds and drops hundreds of thousands of rows.

A recompute of a large organization allocates rows by the hundred thousand (the plan's nodes, the
sums, the results and the snapshot's rows), none of them in reference cycles: reference counting
frees them all. Yet each allocation counts towards the collector's next pass, and its passes over
everything alive (the nodes a worker keeps among it, `scoring.nodes_kept`) cost about a fifth of a
million-task recompute. Paused, nothing is collected later than it would be by reference counting;
the few cycles made meanwhile wait for the next pass after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block, and resume it after unless it was already paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
