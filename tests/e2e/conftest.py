"""The browser tests: Debian's Chromium, driven by Playwright, against a live server with a real worker.

The live server runs in a thread of the test process; a Celery worker process and a throwaway Redis
run beside it, on the same test database (PostgreSQL: committed data, `transactional_db`). Each test
gets a fresh browser context (its own cookies) and the pages it shows are saved as screenshots in
artifacts/screenshots/. Playwright's sync API runs an event loop in the main thread, so this process
(and only this one: not the worker) lets Django's ORM run beside it (DJANGO_ALLOW_ASYNC_UNSAFE).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.test import Client

from tests.e2e.plan import Plan, plan_build
from tests.real_services import (
    NEEDS_POSTGRESQL,
    ROOT,
    RedisServer,
    Worker,
    celery_on,
    redis_cache_settings,
    redis_server_running,
    worker_environment,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# How long a page may take to show something (ms): a page load, an htmx swap. Scores wait longer.
ACTION_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    """Keep each phase's report on the test, so that its browser can save a picture of a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)


@pytest.fixture(autouse=True)
def _needs_postgresql() -> None:
    require_postgresql()


def chromium_path() -> str:
    path = os.environ.get("EXECGAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.skip("needs Debian's Chromium (/usr/bin/chromium; the test command installs it)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the test module (one process owns it under `--dist loadfile`)."""
    require_postgresql()  # before starting anything (wider fixtures come before the autouse check)
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright (the dev extras)")
    executable = chromium_path()
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


# Module-scoped like the browser: the services stop once this module's tests are done, and nothing of
# them runs beside the other test files this process runs afterwards.
@pytest.fixture(scope="module")
def e2e_redis() -> Iterator[RedisServer]:
    require_postgresql()
    with redis_server_running() as server:
        yield server


@pytest.fixture(scope="module")
def e2e_worker(
    e2e_redis: RedisServer, django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    """One Celery worker process for the test module, on the test database and the throwaway Redis."""
    require_postgresql()
    worker = Worker(
        env=worker_environment(e2e_redis.url), log=tmp_path_factory.mktemp("e2e-worker") / "worker.log"
    )
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def live_stack(
    live_server: Any, transactional_db: None, e2e_redis: RedisServer, e2e_worker: Worker, settings: Any
) -> Iterator[str]:
    """The live server's URL, with this process (the server's thread) and the worker on one Redis.

    pytest-django's test settings keep sent emails in `django.core.mail.outbox` (the live server runs
    in this process, so the tests read what it sent there).
    """
    e2e_redis.flush()
    settings.CACHES = redis_cache_settings(e2e_redis.url)
    settings.EXECGAP_SCORES_SWEEP_GRACE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    with celery_on(e2e_redis.url):
        yield str(live_server.url)


@pytest.fixture
def plan(live_stack: str) -> Plan:
    """Northwind, committed (the live server and the worker read it), with its scores computed."""
    return plan_build()


class Visit:
    """A browser tab on the live server, signed in as one user (or anonymous)."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.page: Page = context.new_page()
        self.page.set_default_timeout(ACTION_TIMEOUT_MS)
        # Uncaught JavaScript errors (an htmx swap gone wrong, say): a test fails on any of them.
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        # And anything the Content-Security-Policy blocked (a script, a style, an inline handler).
        self.page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"{self.page.url}: {message.text}")

    def take_errors(self) -> list[str]:
        """The uncaught JavaScript errors since the last call."""
        errors, self.errors = self.errors, []
        return errors

    def sign_in(self, user: AbstractBaseUser) -> None:
        """Sign in without the login form (a session made by the test client, as a cookie)."""
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        self.context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
        )

    def open(self, path: str, *, status: int = 200) -> Page:
        """Open a path of the live server (or a whole URL on it) and check the answer's status."""
        response = self.page.goto(path if "://" in path else self.base_url + path)
        assert response is not None
        assert response.status == status, f"{path} answered {response.status}, expected {status}"
        return self.page

    def screenshot(self, name: str) -> Path:
        """Save the whole page as artifacts/screenshots/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def post(self, path: str, data: dict[str, str]) -> int:
        """POST a form from the page, as a hand-made request would (with the page's CSRF token)."""
        status: int = self.page.evaluate(
            """async ([url, data]) => {
                const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
                const response = await fetch(url, {
                    method: "POST", headers, body: new URLSearchParams(data), redirect: "manual",
                });
                return response.status;
            }""",
            [self.base_url + path, data],
        )
        return status


@pytest.fixture
def visit(
    browser: Browser, live_stack: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Visit]]:
    """visit(user=None, phone=False): a new browser context (its own cookies), signed in as `user` when
    given; a laptop's window, or a phone's (390 × 844 CSS pixels, touch)."""
    contexts: list[tuple[BrowserContext, Visit]] = []

    def open_visit(user: AbstractBaseUser | None = None, *, phone: bool = False) -> Visit:
        if phone:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
            )
        else:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = Visit(context, live_stack)
        contexts.append((context, tab))
        if user is not None:
            tab.sign_in(user)
        return tab

    yield open_visit
    report = getattr(request.node, "report_call", None)
    failed = report is not None and report.failed
    errors: list[str] = []
    for number, (context, tab) in enumerate(contexts):
        if failed:  # a page that cannot be captured must not hide the failure
            with contextlib.suppress(Exception):
                tab.screenshot(f"FAILED-{request.node.name}-{number}")
        errors += tab.take_errors()
        context.close()
    if errors and not failed:
        pytest.fail("uncaught JavaScript errors in the pages:\n" + "\n".join(errors))


def axe_problems(page: Page) -> list[str]:
    """The serious and critical accessibility violations axe-core finds on the page, one line each."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: run `npm ci` (the test command does)")
    # Evaluated, not added as a <script>: the pages' Content-Security-Policy refuses inline scripts, and
    # the test must not loosen it.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — at "
        + "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
