"""Fresh processes for the memory readings (see `measure.recompute_memory`).

    python -m scoring.benchmark.child baseline ORGANIZATION_ID   # set up, engine imported, connected
    python -m scoring.benchmark.child recompute ORGANIZATION_ID  # the same, then one full recompute
    python -m scoring.benchmark.child peak MODE ORGANIZATION_ID  # runs one of those; prints its peak RSS

Linux counts in a child's `ru_maxrss` the size of the process it was forked from (the memory it
had before exec), so a reading taken straight from the benchmark command (hundreds of MiB after
generating a million tasks) would drown the recompute's own. `peak` is therefore a small launcher
that imports nothing heavy: the child it forks starts from a few MiB, and `wait4` gives exactly that
child's `ru_maxrss` (the `getrusage(RUSAGE_CHILDREN)` figure, for this one child).
"""

from __future__ import annotations

import os
import subprocess
import sys

MODES = ("baseline", "recompute")
USAGE = (
    "usage: python -m scoring.benchmark.child {baseline|recompute} ORGANIZATION_ID\n"
    "       python -m scoring.benchmark.child peak {baseline|recompute} ORGANIZATION_ID\n"
)


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[1] == "peak" and argv[2] in MODES:
        return peak(argv[2], int(argv[3]))
    if len(argv) == 3 and argv[1] in MODES:
        return run(argv[1], int(argv[2]))
    sys.stderr.write(USAGE)
    return 2


def peak(mode: str, organization_id: int) -> int:
    """Run `mode` in a child and print its peak resident set size in KiB."""
    process = subprocess.Popen(  # noqa: S603  # this interpreter, this module
        [sys.executable, "-m", "scoring.benchmark.child", mode, str(organization_id)]
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        return process.returncode
    sys.stdout.write(f"{usage.ru_maxrss}\n")
    return 0


def run(mode: str, organization_id: int) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "execgap.settings")
    import django

    django.setup()
    from django.db import connection

    from scoring.services import scores_recompute

    connection.ensure_connection()
    if mode == "recompute":
        scores_recompute(organization_id=organization_id)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
