"""gunicorn's settings for ExecGap's web server, chosen on purpose (the comment beside each says why).

    gunicorn --config=python:execgap.gunicorn_config execgap.wsgi:application

The `web` service of docker-compose.yml and the Dockerfile start it so; the benchmark (`bin/bench`)
serves the pages it measures with this same file, with 2 workers. Each value may be overridden by
the environment variable read beside it (documented in .env.example); anything else gunicorn
offers, by its own GUNICORN_CMD_ARGS. gunicorn ignores names it does not know in this file, so
tests/deployment/test_gunicorn.py checks that every setting here is one of gunicorn's.
"""

from __future__ import annotations

import os
from pathlib import Path


def _int(variable: str, default: int) -> int:
    """A whole number from the environment, else `default`."""
    value = os.environ.get(variable, "").strip()
    return int(value) if value else default


def _usable_cpus() -> int:
    """The CPUs this process may run on (a container's cpuset, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# The container's port; docker-compose.yml publishes it and a TLS-terminating proxy sits in front.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Processes: gunicorn's rule of thumb of 2 per CPU, plus 1 so that a CPU never idles while a worker
# restarts (memory does not limit them: the benchmark checks that a worker stays under 300 MB after
# serving every page). Set GUNICORN_WORKERS where a CPU quota (not a cpuset) limits the container:
# it does not show here.
workers = _int("GUNICORN_WORKERS", 2 * _usable_cpus() + 1)

# Threads, so that a request waiting on PostgreSQL or Redis, or a slow client, does not hold a whole
# process, and so that keep-alive connections work (the sync worker closes each one). Four: rendering
# a page is Python work under the GIL, so more threads per process add little but database
# connections (each thread keeps its own for DATABASE_CONN_MAX_AGE: workers × threads of them, far
# under PostgreSQL's 100).
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# A worker silent for this long (its main loop stuck: a deadlock, a C call holding the GIL) is killed
# and replaced. With threads it does not cut a slow request short: the pages are meant to answer in
# under 300 ms (BENCHMARKS.md measures them), and the benchmark gives each request this long before
# calling it a timeout.
timeout = _int("GUNICORN_TIMEOUT", 30)

# On a stop or a restart, requests in flight get this long to finish. Shorter than the web service's
# stop_grace_period in docker-compose.yml (30 s), so that gunicorn ends the stragglers itself and
# says so, before Docker's SIGKILL would cut everything at once.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)

# Seconds an idle connection stays open for the next request. Longer than the proxy's own idle
# timeout for its upstream connections (nginx's keepalive_timeout and most load balancers: 60 s), so
# that the proxy, not gunicorn, closes an idle one: otherwise the proxy may send a request down a
# connection gunicorn is closing, and the user gets a 502. An idle connection costs no thread.
keepalive = _int("GUNICORN_KEEPALIVE", 75)

# Each worker is replaced after this many requests: a large answer leaves memory that Python keeps
# (its allocator rarely returns freed arenas), and a fresh process gives it back. 5,000 requests of
# tens of milliseconds are minutes of work per worker, so the second a new one takes to start costs
# under 1%. The jitter (up to 10% more, per worker) keeps the workers from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)

# The workers' heartbeat file in memory: on a disk-backed filesystem (a container's overlay) the
# heartbeat's fchmod can block a worker (gunicorn's FAQ, "Blocking os.fchmod").
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108  # gunicorn's advice

# No control socket: nothing manages this server through `gunicornc` (a deployment replaces the
# container), and its default path (~/.gunicorn/gunicorn.ctl) would be shared by every gunicorn of
# one user on a machine, such as the benchmark's servers.
control_socket_disable = True

# One line per request on stdout, where `docker compose logs web` finds it.
accesslog = "-"
