"""`python -m tests.integration.slow_worker <celery arguments>`: a Celery worker whose recomputes stop for
EXECGAP_TEST_STORE_DELAY seconds in the middle of storing a snapshot (after its objective rows, before
its initiative rows), saying STORING first; so a test can kill the worker, or the broker under it,
while a recompute is under way."""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def _slow_down_storing(delay: float) -> None:
    import django

    django.setup()
    from scoring import store

    write = store.rows_write

    def rows_write_slowly(model: Any, columns: Any, rows: Any) -> None:
        if model is store.InitiativeScore:
            sys.stdout.write("STORING\n")
            sys.stdout.flush()
            time.sleep(delay)
        write(model, columns, rows)

    store.rows_write = rows_write_slowly


if __name__ == "__main__":
    delay = float(os.environ.get("EXECGAP_TEST_STORE_DELAY", "0"))
    if delay:
        _slow_down_storing(delay)
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    main()
