"""The webhooks API: admins only, the secret answered once, addresses checked, other organizations hidden."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from execgap.models import Membership, Organization, Role
from tests.api.resources.support import client_for, url
from tests.webhooks.helpers import endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

NOT_ADMINS = (Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE)
PUBLIC_URL = "http://93.184.215.14/execgap"  # an address literal: no DNS needed to check it


@pytest.fixture
def admin_client(admin: Membership) -> APIClient:
    return client_for(admin)


def _delivery(endpoint: WebhookEndpoint, state: str = "succeeded") -> WebhookDelivery:
    return WebhookDelivery.objects.create(
        organization_id=endpoint.organization_id, endpoint=endpoint, event_id="e1", kind="feedback.raised",
        payload={"id": "e1"}, state=state, attempts=1, last_status_code=200, latency_ms=12,
    )  # fmt: skip


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(
    org: Organization, admin_client: APIClient
) -> None:
    # when an admin registers an endpoint
    response = admin_client.post(
        url(org, "webhooks/"),
        {
            "url": PUBLIC_URL,
            "description": "Ops",
            "kinds": ["alert.opened", "plan.changed"],
            "format": "slack",
        },
        format="json",
    )

    # then the answer carries the new secret, and reading it later does not
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert len(body["secret"]) > 40
    assert (body["kinds"], body["format"], body["enabled"]) == (
        ["alert.opened", "plan.changed"],
        "slack",
        True,
    )
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.secret == body["secret"]
    assert "secret" not in admin_client.get(url(org, f"webhooks/{endpoint.pk}/")).json()
    assert all("secret" not in row for row in admin_client.get(url(org, "webhooks/")).json()["results"])


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("http://127.0.0.1:8000/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/hook", "loopback"),
        ("http://[::ffff:192.168.1.1]/hook", "private"),
        ("http://0.0.0.0/hook", "private"),
        ("ftp://93.184.215.14/hook", "http"),
    ],
)
def test_a_private_or_non_http_address_is_refused_at_registration(
    org: Organization, admin_client: APIClient, address: str, words: str
) -> None:
    # when an admin registers a URL ExecGap would refuse to call
    response = admin_client.post(url(org, "webhooks/"), {"url": address, "kinds": []}, format="json")

    # then it is a 400 beside `url`, and nothing is written
    assert response.status_code == 400
    assert words in " ".join(response.json()["url"])
    assert not WebhookEndpoint.objects.exists()


def test_unknown_kinds_are_refused(org: Organization, admin_client: APIClient) -> None:
    response = admin_client.post(
        url(org, "webhooks/"), {"url": PUBLIC_URL, "kinds": ["job.finished"]}, format="json"
    )
    assert response.status_code == 400
    assert "kinds" in response.json()


def test_rotating_answers_the_new_secret_and_keeps_the_old_for_a_day(
    org: Organization, admin: Membership, admin_client: APIClient, settings: Any
) -> None:
    # given an endpoint at version 1
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = endpoint_for(admin, PUBLIC_URL)
    old = endpoint.secret

    # when an admin rotates with a stale If-Match, then with the current one
    stale = admin_client.post(url(org, f"webhooks/{endpoint.pk}/rotate-secret/"), HTTP_IF_MATCH='"7"')
    response = admin_client.post(url(org, f"webhooks/{endpoint.pk}/rotate-secret/"), HTTP_IF_MATCH='"1"')

    # then the stale one changed nothing, the current one answered the new secret
    assert stale.status_code == 412
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert response.json()["secret"] == endpoint.secret != old
    assert endpoint.previous_secret == old
    assert response.json()["previous_secret_expires_at"] is not None
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_reach_webhooks(
    org: Organization, admin: Membership, member_of: Callable[..., Membership], role: Role, settings: Any
) -> None:
    # given an endpoint with a delivery, and a member of another role
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = endpoint_for(admin, PUBLIC_URL)
    delivery = _delivery(endpoint)
    client = client_for(member_of(role))

    # then every operation is refused (403) and nothing changes
    answers = [
        client.get(url(org, "webhooks/")),
        client.get(url(org, f"webhooks/{endpoint.pk}/")),
        client.post(url(org, "webhooks/"), {"url": PUBLIC_URL, "kinds": []}, format="json"),
        client.patch(url(org, f"webhooks/{endpoint.pk}/"), {"description": "x"}, format="json"),
        client.delete(url(org, f"webhooks/{endpoint.pk}/")),
        client.post(url(org, f"webhooks/{endpoint.pk}/rotate-secret/")),
        client.post(url(org, f"webhooks/{endpoint.pk}/test/")),
        client.post(url(org, f"webhooks/{endpoint.pk}/disable/")),
        client.get(url(org, f"webhooks/{endpoint.pk}/deliveries/")),
        client.get(url(org, f"webhook-deliveries/{delivery.pk}/")),
        client.post(url(org, f"webhook-deliveries/{delivery.pk}/redeliver/")),
    ]
    assert [answer.status_code for answer in answers] == [403] * len(answers)
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).version == 1
    assert WebhookDelivery.objects.count() == 1


def test_another_organizations_endpoints_and_deliveries_are_not_found(
    org: Organization, other_org: Organization, member_of: Callable[..., Membership], admin_client: APIClient,
    settings: Any,
) -> None:  # fmt: skip
    # given an endpoint of Globex, with a delivery
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    theirs = endpoint_for(member_of(Role.ADMIN, other_org), PUBLIC_URL)
    delivery = _delivery(theirs)

    # when Acme's admin reaches for them through Acme
    answers = [
        admin_client.get(url(org, f"webhooks/{theirs.pk}/")),
        admin_client.patch(url(org, f"webhooks/{theirs.pk}/"), {"description": "x"}, format="json"),
        admin_client.delete(url(org, f"webhooks/{theirs.pk}/")),
        admin_client.post(url(org, f"webhooks/{theirs.pk}/rotate-secret/")),
        admin_client.post(url(org, f"webhooks/{theirs.pk}/test/")),
        admin_client.get(url(org, f"webhooks/{theirs.pk}/deliveries/")),
        admin_client.get(url(org, f"webhook-deliveries/{delivery.pk}/")),
        admin_client.post(url(org, f"webhook-deliveries/{delivery.pk}/redeliver/")),
    ]

    # then each is 404, the list is empty, and nothing changed
    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert admin_client.get(url(org, "webhooks/")).json()["results"] == []
    assert WebhookEndpoint.objects.get(pk=theirs.pk).version == 1
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_lists_cost_the_same_queries_at_any_size(
    org: Organization, admin: Membership, admin_client: APIClient, django_assert_max_num_queries: Any,
    rows: int, settings: Any,
) -> None:  # fmt: skip
    # given `rows` endpoints, the first with `rows` deliveries
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoints = [endpoint_for(admin, PUBLIC_URL) for _ in range(rows)]
    for _ in range(rows):
        _delivery(endpoints[0])

    # when the admin lists the endpoints, then the deliveries: the membership, then the page
    with django_assert_max_num_queries(2):
        listed = admin_client.get(url(org, "webhooks/"), {"page_size": 100})
    with django_assert_max_num_queries(3):  # the membership, the endpoint, the page
        deliveries = admin_client.get(url(org, f"webhooks/{endpoints[0].pk}/deliveries/"), {"page_size": 100})

    # then every row is there, the deliveries newest first
    assert len(listed.json()["results"]) == rows
    ids = [row["id"] for row in deliveries.json()["results"]]
    assert len(ids) == rows
    assert ids == sorted(ids, reverse=True)


@pytest.mark.django_db(transaction=True)
def test_test_and_redeliver_reach_the_receiver(
    org: Organization, admin: Membership, receiver: Receiver
) -> None:
    # given an endpoint at the local receiver
    client = client_for(admin)
    endpoint = endpoint_for(admin, receiver.url, kinds=[])

    # when the admin sends a test event, then redelivers it
    tested = client.post(url(org, f"webhooks/{endpoint.pk}/test/"))
    again = client.post(url(org, f"webhook-deliveries/{tested.json()['id']}/redeliver/"))

    # then both arrived, the same event twice, and the log shows them succeeded
    assert (tested.status_code, again.status_code) == (202, 202)
    assert len(receiver.received) == 2
    assert tested.json()["event_id"] == again.json()["event_id"]
    assert again.json()["state"] == "succeeded"


def test_disable_and_enable(
    org: Organization, admin: Membership, admin_client: APIClient, settings: Any
) -> None:
    # given an endpoint that failed 4 times in a row
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = endpoint_for(admin, PUBLIC_URL)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=4)

    # when the admin disables it, then enables it
    disabled = admin_client.post(url(org, f"webhooks/{endpoint.pk}/disable/")).json()
    enabled = admin_client.post(url(org, f"webhooks/{endpoint.pk}/enable/")).json()

    # then it was off (with who did it), and is on again with its count back to 0
    assert (disabled["enabled"], disabled["disabled_reason"]) == (
        False,
        f"Disabled by {admin.user.username}.",
    )
    assert (enabled["enabled"], enabled["consecutive_failures"], enabled["disabled_at"]) == (True, 0, None)
