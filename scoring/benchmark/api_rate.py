"""The scores API against a trivial endpoint on the same server: requests per second and their ratio.

The scores API reads stored snapshots, so its rate must not fall with the number of tasks: the
target is `scores/` at ≥ 0.5 × the rate of `GET /api/v1/orgs/{org}/` (the organization's settings:
one row, through the same token authentication, membership lookup and rendering) at 10,000 and at
1,000,000 tasks. Both are measured on one gunicorn server (the production settings of
`execgap/gunicorn_config.py` with 2 workers, this interpreter, the database and Redis of this
process's environment) with a viewer's real API token, in alternating
rounds so that a drift of the machine touches both alike; each rate is the median of its rounds.

The load comes from `wrk` when it is on PATH (Debian's package `wrk`), else from LOAD_PROCESSES
Python processes, each sending requests one after another (`python -m scoring.benchmark.api_rate
load`). The throttles are off on the measured server (they would refuse a load test, by design).

    from scoring.benchmark.api_rate import api_rate
    rate = api_rate(organization_id)  # starts and stops its own server
    rate.ratio                        # the median of each round's scores rps / trivial rps
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from execgap import gunicorn_config
from scoring.benchmark.server import WORKERS, free_port, gunicorn_server, server_environment

__all__ = ["ApiRate", "LoadError", "api_rate", "api_server", "free_port", "server_environment"]

TARGET_API_RATIO = 0.5
LOAD_PROCESSES = 8  # the Python load: one connection each
WRK_THREADS = 2
WRK_CONNECTIONS = 8
# wrk's own default (2 s) counts a request that a busy machine merely delays as failed; gunicorn's
# timeout is what production allows a request.
WRK_TIMEOUT_SECONDS = gunicorn_config.timeout
TOKEN_VARIABLE = "EXECGAP_BENCH_TOKEN"
WRK_RATE = re.compile(r"^Requests/sec:\s+([0-9.]+)", re.MULTILINE)
WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)|Socket errors:.*?timeout (\d+)")


@dataclass
class ApiRate:
    """Requests per second of each endpoint, per round (the median is what counts)."""

    tasks: int
    scores_path: str
    trivial_path: str
    tool: str  # "wrk" or "python"
    seconds_per_round: float
    scores_rounds: list[float] = field(default_factory=list)
    trivial_rounds: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def scores_rps(self) -> float:
        return statistics.median(self.scores_rounds) if self.scores_rounds else 0.0

    @property
    def trivial_rps(self) -> float:
        return statistics.median(self.trivial_rounds) if self.trivial_rounds else 0.0

    @property
    def round_ratios(self) -> list[float]:
        """Each round's scores/ rate over the trivial rate of the same round (measured just before)."""
        return [
            scores / trivial if trivial else 0.0
            for scores, trivial in zip(self.scores_rounds, self.trivial_rounds, strict=True)
        ]

    @property
    def ratio(self) -> float:
        """The median of the rounds' ratios: a drift of the machine moves both rates of a round alike,
        where the ratio of the two medians could set one round's fast trivial rate against another's
        slow scores/ rate."""
        return statistics.median(self.round_ratios) if self.round_ratios else 0.0

    @property
    def met(self) -> bool:
        return self.ratio >= TARGET_API_RATIO


class LoadError(RuntimeError):
    """The load generator failed, or an endpoint answered something other than 200."""


def api_rate(
    organization_id: int, *, seconds: float = 10.0, rounds: int = 5, warmup_seconds: float = 3.0
) -> ApiRate:
    """Measure the organization's `scores/` against its settings endpoint on a server of our own.

    Makes a viewer with a token (revoked at the end) and a snapshot when there is none yet (the
    benchmark's recompute timing leaves one). Raises LoadError when an endpoint does not answer
    200 (a wrong setting of the server, say): a rate of errors would mean nothing.
    """
    from execgap.models import Organization
    from objectives.models import Task

    organization = Organization.objects.get(pk=organization_id)
    _ensure_snapshot(organization_id)
    tasks = Task.objects.for_org(organization_id).count()
    with _viewer_token(organization_id) as token, api_server() as base_url:
        scores = f"/api/v1/orgs/{organization.slug}/scores/"
        trivial = f"/api/v1/orgs/{organization.slug}/"
        rate = ApiRate(
            tasks=tasks,
            scores_path=scores,
            trivial_path=trivial,
            tool="wrk" if shutil.which("wrk") else "python",
            seconds_per_round=seconds,
        )
        for path in (trivial, scores):
            _check_answers(base_url + path, token)
            load(base_url + path, token, seconds=warmup_seconds, tool=rate.tool)
        for _ in range(rounds):
            rate.trivial_rounds.append(load(base_url + trivial, token, seconds=seconds, tool=rate.tool))
            rate.scores_rounds.append(load(base_url + scores, token, seconds=seconds, tool=rate.tool))
    if rate.tool == "python":
        rate.notes.append(
            "Load from Python processes (`wrk` was not on PATH; `apt-get install wrk` for a lighter client)."
        )
    return rate


def _ensure_snapshot(organization_id: int) -> None:
    from scoring.selectors import snapshot_latest
    from scoring.services import scores_recompute

    if snapshot_latest(organization=organization_id) is None:
        scores_recompute(organization_id=organization_id)


@contextmanager
def _viewer_token(organization_id: int) -> Iterator[str]:
    """A viewer of the organization, made for the benchmark, and a token of theirs (revoked after)."""
    from django.contrib.auth import get_user_model

    from execgap.models import Membership, Role
    from execgap.tokens import token_create, token_revoke

    user, _ = get_user_model().objects.get_or_create(username=f"benchmark-api-{organization_id}")
    Membership.objects.get_or_create(
        organization_id=organization_id, user=user, defaults={"role": Role.VIEWER}
    )
    created = token_create(user=user, name="benchmark: scores API rate")
    try:
        yield created.token
    finally:
        token_revoke(user=user, token_key=created.instance.token_key)


@contextmanager
def api_server(*, workers: int = WORKERS, log: Path | None = None) -> Iterator[str]:
    """gunicorn serving ExecGap with the production settings (see `server`); yields its base URL."""
    with gunicorn_server(workers=workers, log=log) as server:
        yield server.base_url


def get(
    url: str, *, token: str | None, connection: http.client.HTTPConnection | None = None
) -> tuple[int, bytes]:
    """One GET (on `connection` when given, reopened by http.client whenever the server closed it)."""
    parts = urlsplit(url)
    own = connection is None
    connection = connection or http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=30
    )
    headers = {"Authorization": f"Token {token}"} if token else {}
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        if own:
            connection.close()


def _check_answers(url: str, token: str) -> None:
    status, body = get(url, token=token)
    if status != 200:
        raise LoadError(f"{url} answered {status}: {body[:300]!r}")


def load(url: str, token: str, *, seconds: float, tool: str) -> float:
    """Requests per second that `url` served with 200 over `seconds` of load."""
    return (
        wrk_rate(url, token, seconds=seconds) if tool == "wrk" else python_rate(url, token, seconds=seconds)
    )


def wrk_rate(url: str, token: str, *, seconds: float) -> float:
    completed = subprocess.run(  # noqa: S603
        [  # noqa: S607  # wrk from PATH, as installed by apt
            "wrk",
            f"--threads={WRK_THREADS}",
            f"--connections={WRK_CONNECTIONS}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={WRK_TIMEOUT_SECONDS}s",
            "--header",
            f"Authorization: Token {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise LoadError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()[:300]}")
    return parse_wrk(completed.stdout)


def parse_wrk(output: str) -> float:
    """wrk's "Requests/sec"; LoadError when any response was not 2xx/3xx or a request timed out."""
    for match in WRK_ERRORS.finditer(output):
        if int(match.group(1) or match.group(2) or 0):
            raise LoadError(f"wrk saw errors: {match.group(0)}")
    found = WRK_RATE.search(output)
    if found is None:
        raise LoadError(f"No Requests/sec in wrk's output: {output[-300:]!r}")
    return float(found.group(1))


def python_rate(url: str, token: str, *, seconds: float, processes: int = LOAD_PROCESSES) -> float:
    """LOAD_PROCESSES processes, each GETting `url` in a loop on its own connection, for `seconds`."""
    start_at = time.time() + 1.0  # every process starts together, once all are running
    children = [
        subprocess.Popen(  # noqa: S603  # this interpreter, this module
            [sys.executable, "-m", "scoring.benchmark.api_rate", "load", url, str(start_at), str(seconds)],
            env={**os.environ, TOKEN_VARIABLE: token},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    served = failed = 0
    for child in children:
        stdout, stderr = child.communicate(timeout=seconds + 60)
        if child.returncode != 0:
            raise LoadError(f"A load process failed: {stderr.strip()[-300:]}")
        ok, errors = (int(number) for number in stdout.split())
        served, failed = served + ok, failed + errors
    if failed:
        raise LoadError(f"{failed} of {served + failed} requests to {url} were not answered 200.")
    return served / seconds


def load_loop(url: str, token: str, *, start_at: float, seconds: float) -> tuple[int, int]:
    """(answered 200, anything else) for GETs sent one after another from `start_at` for `seconds`."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    time.sleep(max(0.0, start_at - time.time()))
    deadline = time.monotonic() + seconds
    ok = errors = 0
    try:
        while time.monotonic() < deadline:
            try:
                status, _ = get(url, token=token, connection=connection)
            except (OSError, http.client.HTTPException):
                connection.close()
                errors += 1
                continue
            if status == 200:
                ok += 1
            else:
                errors += 1
    finally:
        connection.close()
    return ok, errors


def markdown_section(rates: Sequence[ApiRate]) -> list[str]:
    """BENCHMARKS.md's section: one row per organization size."""
    out = [
        "## The scores API against a trivial endpoint",
        "",
        f"`GET scores/` against `GET /api/v1/orgs/{{org}}/` (the organization's settings), on one gunicorn "
        f"server with {WORKERS} workers, a viewer's API token, throttles off; in alternating rounds (the "
        "trivial endpoint, then scores/), each rate the median of its rounds, and the ratio the median of "
        "the rounds' ratios. Target: the ratio ≥ 0.5 at every size.",
        "",
        "| Tasks | Load | scores/ (req/s) | trivial (req/s) | Each round's ratio | Ratio | Verdict |",
        "|---:|---|---:|---:|---|---:|---|",
    ]
    for rate in rates:
        rounds = ", ".join(f"{ratio:.2f}" for ratio in rate.round_ratios)
        out.append(
            f"| {rate.tasks:,} | {rate.tool}, {len(rate.scores_rounds)} rounds of "
            f"{rate.seconds_per_round:.0f} s "
            f"| {rate.scores_rps:,.0f} | {rate.trivial_rps:,.0f} | {rounds} | {rate.ratio:.2f} "
            f"| {'met' if rate.met else 'NOT met'} |"
        )
    notes = sorted({note for rate in rates for note in rate.notes})
    return [*out, "", *(f"- {note}" for note in notes), *([""] if notes else [])]


def target(rates: Sequence[ApiRate]) -> tuple[str, str, str]:
    """(target, measured, verdict) for the targets table."""
    name = "scores/ at ≥ 0.5 of a trivial endpoint's requests per second, at every size"
    if not rates:
        return name, "not measured", "not measured"
    measured = ", ".join(f"{rate.ratio:.2f} at {rate.tasks:,} tasks" for rate in rates)
    return name, measured, "met" if all(rate.met for rate in rates) else "NOT met"


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[1] == "load":
        ok, errors = load_loop(
            argv[2], os.environ[TOKEN_VARIABLE], start_at=float(argv[3]), seconds=float(argv[4])
        )
        sys.stdout.write(f"{ok} {errors}\n")
        return 0
    sys.stderr.write("usage: python -m scoring.benchmark.api_rate load URL START_AT SECONDS\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
