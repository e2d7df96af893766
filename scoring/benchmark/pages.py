"""Every page and API collection of one organization, timed over HTTP, weighed, and its queries counted.

Each target (see `routes`) is requested over HTTP from the server (gunicorn with the production
settings and 2 workers: `server`), as the member its page is for (`visitors`): a warm-up request,
then timed ones (see `enough`): at least `runs`, more while they fit in SAMPLE_SECONDS (so that a
fast page's median is not a handful of noisy milliseconds), fewer when the page is slow; the same
page on several servers (one per organization size) is timed in turn (`samplers_run`). A request
with no answer after `timeout` seconds is a timeout: the server is then restarted, so that a page
still rendering in a worker does not slow the pages after it. A page that refuses its member (403)
is asked again as the admin (the settings pages); one that answers GET with 405 is an action, not
a page, and is set aside. Bytes are the body as sent (no compression asked for). The queries of
one request of each target are counted afterwards in this process, through Django's test client,
with `CaptureQueriesContext`.

    with visitors_prepare(organization_id) as visitors, gunicorn_server() as server:
        results = targets_measure(server, targets_of(visitors), visitors, timeout=30)
        queries_count(results, visitors)

`pages_run` measures several organizations this way at once, page by page.
"""

from __future__ import annotations

import http.client
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from execgap.models import Role
from scoring.benchmark.routes import ApiEndpoint, Page, api_collections, organization_pages
from scoring.benchmark.visitors import Visitors

RUNS = 5  # timed requests at least, unless the page is slower than the budget
MAX_RUNS = 30
SAMPLE_SECONDS = 1.0  # a fast page is asked again until its timed requests took this long
BUDGET_SECONDS = 10.0  # no more timed requests once they took this long (one at least)
# The pages whose reader is a team's lead (README: alignment, teams, and a team's import).
LEAD_PAGES = frozenset({"alignment", "teams", "team_workspace", "task_import", "task_import_job"})


class Endpoint(Protocol):
    """A server to measure: where it answers, and how to start it afresh."""

    base_url: str

    def restart(self) -> None: ...


@dataclass
class Target:
    """One address to measure, and who asks for it."""

    label: str  # the route with its kinds: /o/{org}/teams/{team}/
    path: str  # the address filled in: /o/acme/teams/12/
    role: Role  # the member who asks: with their session, or their API token for the API
    is_api: bool = False
    skipped: str = ""  # why it cannot be measured (an id of unknown kind)


@dataclass
class Measured:
    """What one target answered: its status, the seconds of each timed request, its bytes, queries."""

    target: Target
    role: Role | None = None  # who was answered (the admin, when the target refused its member)
    status: int | None = None
    outcome: str = ""  # "": answered; else "timeout", "no answer: ...", "not measured: ..."
    seconds: list[float] = field(default_factory=list)
    bytes: int | None = None
    queries: int | None = None
    queries_problem: str = ""  # why they were not counted: the request answered otherwise here

    @property
    def reader(self) -> str:
        role = str((self.role or self.target.role).value)
        return f"{role}'s token" if self.target.is_api else role

    @property
    def answered(self) -> bool:
        """Answered as a page is: 200, or a redirect (timed all the same)."""
        return not self.outcome and self.status is not None and self.status < 400

    @property
    def is_action(self) -> bool:
        return self.status == 405

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.answered and self.seconds else None

    def problem(self) -> str:
        """Why there is no time: "timeout", "HTTP 500", ...; "" when answered."""
        if self.outcome:
            return self.outcome
        if self.status is not None and not self.answered:
            return f"HTTP {self.status}"
        return ""


def targets_of(
    visitors: Visitors, pages: Sequence[Page] | None = None, api: Sequence[ApiEndpoint] | None = None
) -> list[Target]:
    """Every page of the organization (each as its reader), then every API collection (by default,
    those of the URL configuration and the API schema)."""
    targets = []
    for page in organization_pages() if pages is None else pages:
        role = Role.LEAD if page.name in LEAD_PAGES else Role.EXECUTIVE
        try:
            path = page.path(visitors.slug, visitors.ids)
        except KeyError as missing:
            targets.append(Target(page.label, "", role, skipped=f"no id for {missing.args[0]}"))
            continue
        targets.append(Target(page.label, path, role))
    for endpoint in api_collections() if api is None else api:
        targets.append(Target(endpoint.label, endpoint.path(visitors.slug), Role.EXECUTIVE, is_api=True))
    return targets


def targets_measure(
    server: Endpoint,
    targets: Sequence[Target],
    visitors: Visitors,
    *,
    runs: int = RUNS,
    budget: float = BUDGET_SECONDS,
    timeout: float,
    say: Callable[[str], None] = lambda _: None,
) -> list[Measured]:
    """Time every target over HTTP (see the module); in the order given."""
    return [
        target_measure(server, target, visitors, runs=runs, budget=budget, timeout=timeout, say=say)
        for target in targets
    ]


def target_measure(
    server: Endpoint,
    target: Target,
    visitors: Visitors,
    *,
    runs: int = RUNS,
    budget: float = BUDGET_SECONDS,
    timeout: float,
    say: Callable[[str], None] = lambda _: None,
) -> Measured:
    """Time one target over HTTP (see the module)."""
    sampler = Sampler(server, target, visitors, runs=runs, budget=budget, timeout=timeout, say=say)
    return samplers_run([sampler])[0]


def samplers_run(samplers: Sequence[Sampler]) -> list[Measured]:
    """Warm every sampler up, then take their timed requests in turn (one of each, then again) until
    each has enough: the same page on several servers is timed in the same seconds."""
    for sampler in samplers:
        sampler.warm()
    while not all(sampler.done for sampler in samplers):
        for sampler in samplers:
            if not sampler.done:
                sampler.step()
    for sampler in samplers:
        sampler.close()
    return [sampler.measured for sampler in samplers]


class Sampler:
    """The requests of one target to one server: a warm-up as its reader (as the admin when the
    reader is refused), then timed requests, one `step` at a time while they answer alike, until
    `enough`. A warm-up slower than the budget is the one time taken: asking again would add as much
    for little. A request that never answers restarts the server there and then (see the module)."""

    def __init__(
        self,
        server: Endpoint,
        target: Target,
        visitors: Visitors,
        *,
        runs: int = RUNS,
        budget: float = BUDGET_SECONDS,
        timeout: float,
        say: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.server, self.target, self.visitors = server, target, visitors
        self.runs, self.budget, self.timeout, self.say = runs, budget, timeout, say
        self.measured = Measured(target, outcome=f"not measured: {target.skipped}" if target.skipped else "")
        self._client: _Connection | None = None
        self._headers: dict[str, str] = {}

    @property
    def done(self) -> bool:
        measured = self.measured
        return not measured.answered or enough(measured.seconds, runs=self.runs, budget=self.budget)

    def warm(self) -> None:
        if self.target.skipped:
            return
        self._client = _Connection(self.server.base_url, timeout=self.timeout)
        self._warm_as(self.target.role)
        if self.measured.status == 403 and self.target.role != Role.ADMIN:
            self._warm_as(Role.ADMIN)

    def step(self) -> None:
        assert self._client is not None, "warm() first"
        answer = self._client.get(self.target.path, self._headers)
        if answer.outcome or answer.status != self.measured.status:
            self.measured.status, self.measured.outcome = answer.status, answer.outcome
            self._restart_if_hung()
            return
        self.measured.seconds.append(answer.seconds)
        self.measured.bytes = answer.size

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def _warm_as(self, role: Role) -> None:
        assert self._client is not None
        self._headers = self.visitors.headers(role, api=self.target.is_api)
        warm = self._client.get(self.target.path, self._headers)  # caches, connections, imports
        self.measured = Measured(self.target, role, warm.status, warm.outcome, bytes=warm.size)
        if self.measured.answered and warm.seconds > self.budget:
            self.measured.seconds.append(warm.seconds)
        self._restart_if_hung()

    def _restart_if_hung(self) -> None:
        if self.measured.outcome == "timeout":
            self.say(f"{self.target.path}: no answer within {self.timeout:.0f} s; restarting the server")
            if self._client is not None:
                self._client.close()
            self.server.restart()


def enough(seconds: Sequence[float], *, runs: int, budget: float) -> bool:
    """Whether these timed requests suffice: MAX_RUNS of them; or `runs` that took SAMPLE_SECONDS in
    all; or, for a slow page, any that took the `budget` (one at least)."""
    spent = sum(seconds)
    return (
        len(seconds) >= MAX_RUNS
        or (len(seconds) >= runs and spent >= SAMPLE_SECONDS)
        or (len(seconds) >= 1 and spent >= budget)
    )


@dataclass
class _Answer:
    status: int | None
    seconds: float
    size: int | None
    outcome: str = ""


class _Connection:
    """One keep-alive HTTP connection to the server (reopened whenever the server closes it)."""

    def __init__(self, base_url: str, *, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.timeout = timeout
        self.connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=timeout
        )

    def close(self) -> None:
        self.connection.close()

    def get(self, path: str, headers: dict[str, str]) -> _Answer:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except TimeoutError:
            self.connection.close()
            return _Answer(None, time.perf_counter() - started, None, "timeout")
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            return _Answer(None, time.perf_counter() - started, None, f"no answer: {type(error).__name__}")
        seconds = time.perf_counter() - started
        if seconds > self.timeout:  # answered, but later than a request may take
            return _Answer(response.status, seconds, len(body), "timeout")
        return _Answer(response.status, seconds, len(body))


def queries_count(results: Sequence[Measured], visitors: Visitors) -> None:
    """Count the queries of one request of each answered target, in this process (test client).

    One client per reader, each of whose sessions has already opened an organization page (the
    first one a session opens stores the organization in it), as over HTTP.
    """
    clients: dict[tuple[Role, bool], Client] = {}
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for measured in results:
            if not measured.answered or measured.role is None:
                continue
            key = (measured.role, measured.target.is_api)
            client = clients.get(key)
            if client is None:
                client = clients[key] = _client(measured.role, visitors, api=measured.target.is_api)
            try:
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(measured.target.path)
            except Exception as error:  # noqa: BLE001  # said in the report, not the end of the run
                measured.queries_problem = f"{type(error).__name__} in this process: {str(error)[:120]}"
                continue
            if response.status_code == measured.status:
                measured.queries = len(captured.captured_queries)
            else:
                measured.queries_problem = f"HTTP {response.status_code} in this process"


def _client(role: Role, visitors: Visitors, *, api: bool) -> Client:
    if api:
        return Client(headers=visitors.headers(role, api=True))
    client = Client()
    client.force_login(visitors.users[role])
    client.get(f"/o/{visitors.slug}/scores/status/")
    return client
