"""The benchmark's page measurement: each target timed over HTTP as its reader, a page that hangs cut short
by a timeout (and the server restarted), a refused page asked again as the admin, an action set aside;
and, on a generated organization, every page and API collection answers and has its queries counted."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.db import connection

from execgap.models import Role
from scoring.benchmark.loader import organization_generate
from scoring.benchmark.pages import (
    MAX_RUNS,
    SAMPLE_SECONDS,
    Measured,
    Sampler,
    Target,
    enough,
    queries_count,
    samplers_run,
    targets_measure,
    targets_of,
)
from scoring.benchmark.pages_run import pages_benchmark
from scoring.benchmark.visitors import Visitors, visitors_prepare

SESSIONS = {Role.EXECUTIVE: "executive-session", Role.LEAD: "lead-session", Role.ADMIN: "admin-session"}


class FakeServer:
    """A tiny HTTP server: /slow/ answers after 2 s, /settings/ only to the admin's session, /action/
    is POST only (405), anything else 200 with a body of 1,000 bytes. `restart` is counted."""

    def __init__(self, name: str = "server", log: list[str] | None = None) -> None:
        self.name, self.log = name, [] if log is None else log
        served = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # the body is not held back until the headers are acknowledged

            def do_GET(self) -> None:
                served.log.append(served.name)
                status = 200
                if self.path == "/slow/":
                    time.sleep(2)
                elif self.path == "/settings/" and SESSIONS[Role.ADMIN] not in self.headers.get("Cookie", ""):
                    status = 403
                elif self.path == "/action/":
                    status = 405
                body = b"x" * 1000
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.restarts = 0
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def restart(self) -> None:
        self.restarts += 1


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.http.shutdown()
    server.http.server_close()


@pytest.fixture
def visitors() -> Visitors:
    return Visitors(slug="acme", sessions=dict(SESSIONS), tokens=dict.fromkeys(SESSIONS, "token"))


def measure(server: FakeServer, visitors: Visitors, *paths: str, runs: int = 3) -> list[Measured]:
    targets = [Target(path, path, Role.EXECUTIVE) for path in paths]
    return targets_measure(server, targets, visitors, runs=runs, budget=5, timeout=0.5)


def test_a_page_is_timed_after_a_warm_up_and_weighed(fake_server, visitors):
    # given a page that answers at once
    # when it is measured with at least 3 runs
    [page] = measure(fake_server, visitors, "/fast/")
    # then it was timed as often as a fast page is (the warm-up not counted), as the executive, and weighed
    assert page.status == 200
    assert page.answered
    assert len(page.seconds) == MAX_RUNS
    assert page.median is not None
    assert 0 < page.median < 0.5
    assert page.bytes == 1000
    assert page.reader == "executive"


def test_the_same_page_on_two_servers_is_timed_in_turn(visitors):
    # given one page on two servers (two organization sizes), whose requests are logged in order
    log: list[str] = []
    small, large = FakeServer("small", log), FakeServer("large", log)
    target = Target("/fast/", "/fast/", Role.EXECUTIVE)
    samplers = [Sampler(server, target, visitors, runs=3, timeout=1) for server in (small, large)]
    # when both are measured together
    measured = samplers_run(samplers)
    # then each was warmed up, and then timed one request of each in turn, as often as the other
    assert log[:8] == ["small", "large"] * 4
    assert len(measured[0].seconds) == len(measured[1].seconds) == MAX_RUNS
    for server in (small, large):
        server.http.shutdown()
        server.http.server_close()


def test_a_page_that_hangs_is_a_timeout_and_the_server_is_restarted(fake_server, visitors):
    # given a page that takes 2 s, with a timeout of 0.5 s, followed by a quick page
    # when both are measured
    slow, fast = measure(fake_server, visitors, "/slow/", "/fast/")
    # then the slow one is a timeout with no time, the server was restarted once, and the next page measured
    assert slow.problem() == "timeout"
    assert slow.median is None
    assert fake_server.restarts == 1
    assert fast.median is not None


def test_a_page_that_refuses_its_reader_is_asked_again_as_the_admin(fake_server, visitors):
    # given a page only the admin may open (the settings)
    # when it is measured for an executive
    [page] = measure(fake_server, visitors, "/settings/")
    # then it was measured as the admin
    assert page.status == 200
    assert page.reader == "admin"
    assert len(page.seconds) == MAX_RUNS


def test_an_action_is_set_aside(fake_server, visitors):
    # given an address that answers GET with 405 (a form posts to it)
    # when it is measured
    [action] = measure(fake_server, visitors, "/action/")
    # then it is an action: not answered, not timed
    assert action.is_action
    assert not action.answered
    assert action.seconds == []


def test_a_page_slower_than_its_budget_gets_fewer_runs(fake_server, visitors):
    # given a budget of 0 s of timed requests per page
    target = Target("/fast/", "/fast/", Role.EXECUTIVE)
    # when the page is measured with up to 5 runs
    [page] = targets_measure(fake_server, [target], visitors, runs=5, budget=0.0, timeout=1)
    # then it got one timed request only
    assert len(page.seconds) == 1


@pytest.mark.parametrize(
    ("seconds", "verdict"),
    [
        pytest.param([], False, id="none yet"),
        pytest.param([0.010] * 29, False, id="29 fast ones: 0.29 s, ask again"),
        pytest.param([0.010] * MAX_RUNS, True, id="30 fast ones: enough"),
        pytest.param([0.250] * 4, False, id="4 of 250 ms: fewer than 5"),
        pytest.param([0.250] * 5, True, id="5 of 250 ms: 1.25 s"),
        pytest.param([3.0] * 3, False, id="3 of 3 s: 9 s, under the budget"),
        pytest.param([3.0] * 4, True, id="4 of 3 s: 12 s, over the budget"),
        pytest.param([12.0], True, id="1 of 12 s: over the budget"),
    ],
)
def test_a_page_is_asked_again_until_its_times_suffice(seconds, verdict):
    # given the times taken so far (at least 5 runs, 1 s of them, a budget of 10 s)
    # then enough is as worked out by hand
    assert SAMPLE_SECONDS == 1.0
    assert enough(seconds, runs=5, budget=10.0) is verdict


@pytest.mark.django_db(transaction=True)
def test_every_page_and_api_collection_of_a_generated_organization_answers(live_server):
    # given a small generated organization, and its visitors (an executive, a lead, an admin)
    generated = organization_generate(tasks=200, seed=3, use_copy=False)
    with visitors_prepare(generated.organization_id) as visitors:
        # when every page and API collection is measured on a live server, then their queries counted
        server = SimpleNamespace(base_url=live_server.url, restart=lambda: None)
        results = targets_measure(server, targets_of(visitors), visitors, runs=1, budget=0, timeout=60)
        queries_count(results, visitors)
    # then each answered its reader, or is an action a form posts to (405)
    failed = {m.target.path: m.problem() for m in results if not m.answered and not m.is_action}
    assert failed == {}
    answered = [m for m in results if m.answered]
    assert len(answered) >= 60
    # and each one answered was timed, weighed and had its queries counted
    assert all(m.median is not None and m.bytes for m in answered)
    assert all(m.queries is not None and m.queries > 0 for m in answered)
    # and the lead's pages were read by the lead, the settings by the admin, the API with a token
    readers = {m.target.label: m.reader for m in answered}
    assert readers["/o/{org}/teams/{team}/"] == "lead"
    assert readers["/o/{org}/settings/teams/new/"] == "admin"
    assert readers["/o/{org}/"] == "executive"
    assert readers["/api/v1/orgs/{org}/tasks/"] == "executive's token"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_every_size_is_served_by_gunicorn_with_the_production_settings(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the server is another process, which cannot see an in-memory database")
    # given two generated organizations, and the servers pointed at the test database
    database = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or 'localhost'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
    )
    monkeypatch.setenv("DJANGO_DEBUG", "true")  # static files without collectstatic's manifest
    small = organization_generate(tasks=100, seed=3)
    large = organization_generate(tasks=300, seed=3, slug="bench-300-larger")
    # when both are measured page by page side by side, each on gunicorn with 2 workers
    results = pages_benchmark({300: large.organization_id, 100: small.organization_id}, budget=0, timeout=60)
    # then there is one result per size, smallest first, every page of each answered
    assert [result.tasks for result in results] == [100, 300]
    for result in results:
        failed = {m.target.path: m.problem() for m in result.results if not m.answered and not m.is_action}
        assert failed == {}
        assert [m.target.label for m in result.results] == [m.target.label for m in results[0].results]
        # and each size's own two workers had their memory read when all its pages were served
        assert result.memory is not None
        assert len(result.memory.final_pids) == 2
        assert result.memory.final_rss_kib > 0
        assert result.memory.highest_kib >= result.memory.final_rss_kib
    assert not set(results[0].memory.final_pids) & set(results[1].memory.final_pids)  # type: ignore[union-attr]
