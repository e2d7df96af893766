"""The benchmark's measure of the scores API: requests per second against a trivial endpoint's."""

import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from execgap.models import ApiToken
from scoring.benchmark import api_rate
from tests.factories import ObjectiveFactory, OrganizationFactory, TaskFactory

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/api/v1/orgs/acme/scores/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.51ms    5.10ms  60.00ms   80.00%
    Req/Sec   195.00     20.00   250.00     70.00%
  1950 requests in 5.00s, 3.20MB read
Requests/sec:    389.95
Transfer/sec:    655.00KB
"""


def test_wrk_output_gives_requests_per_second():
    assert api_rate.parse_wrk(WRK_OUTPUT) == pytest.approx(389.95)


@pytest.mark.parametrize(
    "trouble",
    ["  Non-2xx or 3xx responses: 12\n", "  Socket errors: connect 0, read 0, write 0, timeout 3\n"],
)
def test_wrk_output_with_errors_is_refused(trouble):
    with pytest.raises(api_rate.LoadError, match="wrk saw errors"):
        api_rate.parse_wrk(WRK_OUTPUT + trouble)


def test_a_rate_and_its_verdict():
    # given 3 rounds each, the machine faster in the third: per round 100/200, 300/500 and 400/1000
    rate = api_rate.ApiRate(
        tasks=10_000, scores_path="s", trivial_path="t", tool="wrk", seconds_per_round=5,
        scores_rounds=[100, 300, 400], trivial_rounds=[200, 500, 1000],
    )  # fmt: skip
    # then each rate is its rounds' median (300 and 500), and the ratio the median of the rounds'
    # ratios 0.5, 0.6 and 0.4: 0.5, which meets the target of 0.5 (the medians' ratio would be 0.6)
    assert rate.round_ratios == [0.5, 0.6, 0.4]
    assert (rate.scores_rps, rate.trivial_rps, rate.ratio, rate.met) == (300, 500, 0.5, True)
    slow = api_rate.ApiRate(10**6, "s", "t", "wrk", 5, scores_rounds=[100], trivial_rounds=[500])
    assert api_rate.target([rate, slow]) == (
        "scores/ at ≥ 0.5 of a trivial endpoint's requests per second, at every size",
        "0.50 at 10,000 tasks, 0.20 at 1,000,000 tasks",
        "NOT met",
    )
    table = "\n".join(api_rate.markdown_section([rate, slow]))
    assert "| 10,000 | wrk, 3 rounds of 5 s | 300 | 500 | 0.50, 0.60, 0.40 | 0.50 | met |" in table
    assert "| 1,000,000 | wrk, 1 rounds of 5 s | 100 | 500 | 0.20 | 0.20 | NOT met |" in table


@pytest.fixture
def local_server():
    """A tiny HTTP server: 200 for the token "good", 401 otherwise."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            ok = self.headers.get("Authorization") == "Token good"
            body = b"{}"
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_the_python_load_counts_what_was_served(local_server):
    assert api_rate.python_rate(local_server, "good", seconds=0.5, processes=2) > 0


def test_the_python_load_refuses_a_rate_of_errors(local_server):
    with pytest.raises(api_rate.LoadError, match="were not answered 200"):
        api_rate.python_rate(local_server, "bad", seconds=0.3, processes=1)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_scores_api_is_measured_on_a_real_server(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the server is another process, which cannot see an in-memory database")
    # given an organization of 50 tasks, and the server pointed at the test database
    organization = OrganizationFactory(slug="measured")
    root = ObjectiveFactory(organization=organization)
    for _ in range(50):
        TaskFactory(organization=organization, objective=root, effort_hours=Decimal(2))
    database = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST'] or 'localhost'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
    )
    # when its scores API is measured
    rate = api_rate.api_rate(organization.pk, seconds=1, rounds=1, warmup_seconds=0.5)
    # then both endpoints served, and the token made for it was revoked
    assert rate.tasks == 50
    assert rate.scores_rps > 0
    assert rate.trivial_rps > 0
    assert not ApiToken.objects.filter(user__username=f"benchmark-api-{organization.pk}").exists()
