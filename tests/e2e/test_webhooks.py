"""An admin registers a webhook endpoint, keeps its secret, sends a test event and reads it in the log.

The receiver is a local HTTP server started by the test; the live server and the Celery worker may
reach loopback addresses for it (EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES, on in both).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Visit, axe_problems
from tests.e2e.plan import Plan
from tests.real_services import RedisServer, Worker, worker_environment
from tests.webhooks.helpers import documented_verify
from tests.webhooks.receiver import Receiver, start
from webhooks.models import WebhookEndpoint

# The worker's delivery: a task queued as the click commits, then one request to the receiver.
DELIVERY_TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def e2e_worker(
    e2e_redis: RedisServer, django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    """This module's worker sends webhooks to loopback addresses (the test's receiver)."""
    env = {**worker_environment(e2e_redis.url), "EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true"}
    worker = Worker(env=env, log=tmp_path_factory.mktemp("e2e-webhooks-worker") / "worker.log")
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    found = start()
    yield found
    found.server.shutdown()
    found.server.server_close()


def test_an_admin_registers_an_endpoint_and_sees_a_test_event_delivered(
    visit: Callable[..., Visit], plan: Plan, receiver: Receiver
) -> None:
    # given an admin on the settings page
    tab = visit(plan.admin)
    page = tab.open(plan.path("settings/"))
    page.get_by_role("navigation", name="Settings sections").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()
    assert axe_problems(page) == []
    tab.screenshot("webhooks-list")

    # when they register the receiver for alerts opened, as JSON
    page.get_by_label("Endpoint URL").fill(receiver.url)
    page.get_by_label("Description", exact=True).fill("Ops channel")
    page.get_by_label("Alert opened").check()
    page.get_by_role("button", name="Register the endpoint").click()

    # then the next page shows the secret once, ready to copy
    expect(page.get_by_role("heading", name="Signing secret", level=1)).to_be_visible()
    endpoint = WebhookEndpoint.objects.for_org(plan.organization).get()
    expect(page.get_by_label("Signing secret")).to_have_value(endpoint.secret)
    assert endpoint.kinds == ["alert.opened"]
    assert axe_problems(page) == []
    tab.screenshot("webhooks-secret")
    page.reload()
    expect(page.get_by_text("This secret was shown once")).to_be_visible()
    assert endpoint.secret not in page.content()

    # when they open the endpoint and send a test event
    page.get_by_role("link", name="Go to the endpoint").click()
    page.get_by_role("button", name="Send a test event").click()

    # then the worker delivers it, signed with the secret, and the log shows it succeeded
    expect(page.get_by_text("Test event sent")).to_be_visible()
    for _ in range(30):
        if receiver.received:
            break
        page.wait_for_timeout(500)
    (request,) = receiver.received
    assert json.loads(request.body)["kind"] == "webhook.test"
    assert documented_verify()(endpoint.secret, request.headers["X-ExecGap-Signature"], request.body)
    page.reload()
    log = page.get_by_role("table", name="Deliveries")
    expect(log.get_by_text("Succeeded")).to_be_visible(timeout=DELIVERY_TIMEOUT_MS)
    expect(log.get_by_text("HTTP 200")).to_be_visible()
    assert axe_problems(page) == []
    tab.screenshot("webhooks-detail")

    # and on a phone the same pages fit the screen
    phone = visit(plan.admin, phone=True)
    for name, path in (
        ("webhooks-list-phone", "settings/webhooks/"),
        ("webhooks-detail-phone", f"settings/webhooks/{endpoint.pk}/"),
    ):
        small = phone.open(plan.path(path))
        overflow = small.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
        assert axe_problems(small) == []
        phone.screenshot(name)
