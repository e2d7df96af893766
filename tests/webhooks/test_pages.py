"""The webhooks pages: admins only, the secret once, errors beside the field, other organizations hidden."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from execgap.models import Membership, Organization, Role
from tests.webhooks.helpers import endpoint_for
from tests.webhooks.receiver import Receiver
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

PUBLIC_URL = "http://93.184.215.14/execgap"


def _signed_in(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _page(path: str = "") -> str:
    return f"/o/acme/settings/webhooks/{path}"


def test_an_admin_registers_an_endpoint_and_sees_the_secret_once(admin: Membership) -> None:
    # given the admin on the webhooks page
    client = _signed_in(admin)
    assert client.get(_page()).status_code == 200

    # when they register an endpoint for two kinds
    response = client.post(
        _page(),
        {
            "url": PUBLIC_URL,
            "description": "Ops",
            "kinds": ["alert.opened", "plan.changed"],
            "format": "json",
        },
    )

    # then the next page shows its secret, and a reload no longer does
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _page(f"{endpoint.pk}/secret/")
    shown = client.get(response["Location"])
    assert endpoint.secret in shown.content.decode()
    assert "Copy it now" in shown.content.decode()
    again = client.get(response["Location"]).content.decode()
    assert endpoint.secret not in again
    assert "shown once" in again
    assert (endpoint.kinds, endpoint.created_by_id) == (["alert.opened", "plan.changed"], admin.user_id)


def test_a_private_address_is_refused_beside_the_url_field(admin: Membership) -> None:
    # when an admin registers a link-local address
    response = _signed_in(admin).post(
        _page(), {"url": "http://169.254.169.254/", "kinds": [], "format": "json"}
    )

    # then the page answers 400 with the reason under the URL field, and nothing is written
    assert response.status_code == 400
    form = response.context["form"]
    assert "link-local" in " ".join(form.errors["url"])
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE])
def test_other_roles_get_the_forbidden_page(
    admin: Membership, member_of: Callable[..., Membership], role: Role, settings: Any
) -> None:
    # given an endpoint with a delivery
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = endpoint_for(admin, PUBLIC_URL)
    delivery = WebhookDelivery.objects.create(
        organization_id=endpoint.organization_id,
        endpoint=endpoint,
        event_id="e",
        kind="webhook.test",
        payload={},
    )
    client = _signed_in(member_of(role))

    # then every page and action is the 403 page, and nothing changes
    answers = [
        client.get(_page()),
        client.post(_page(), {"url": PUBLIC_URL, "kinds": [], "format": "json"}),
        client.get(_page(f"{endpoint.pk}/")),
        client.get(_page(f"{endpoint.pk}/secret/")),
        client.post(_page(f"{endpoint.pk}/test/")),
        client.post(_page(f"{endpoint.pk}/rotate/")),
        client.post(_page(f"{endpoint.pk}/disable/")),
        client.post(_page(f"{endpoint.pk}/delete/")),
        client.post(_page(f"{endpoint.pk}/deliveries/{delivery.pk}/redeliver/")),
    ]
    assert [answer.status_code for answer in answers] == [403] * len(answers)
    assert "may not" in answers[0].content.decode()
    assert WebhookEndpoint.objects.get().version == 1
    assert WebhookDelivery.objects.count() == 1


def test_another_organizations_endpoint_is_not_found(
    admin: Membership, other_org: Organization, member_of: Callable[..., Membership], settings: Any
) -> None:
    # given an endpoint of Globex
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    theirs = endpoint_for(member_of(Role.ADMIN, other_org), PUBLIC_URL)
    client = _signed_in(admin)

    # then Acme's admin finds none of its pages
    answers = [
        client.get(_page(f"{theirs.pk}/")),
        client.post(_page(f"{theirs.pk}/test/")),
        client.post(_page(f"{theirs.pk}/rotate/")),
        client.post(_page(f"{theirs.pk}/delete/")),
        client.post(_page(f"{theirs.pk}/enable/")),
    ]
    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert theirs.url not in client.get(_page()).content.decode()
    assert WebhookEndpoint.objects.get(pk=theirs.pk).version == 1


def test_rotate_and_delete_ask_first(admin: Membership, settings: Any) -> None:
    # given an endpoint
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = endpoint_for(admin, PUBLIC_URL)
    old = endpoint.secret
    client = _signed_in(admin)

    # when the admin opens rotate, then confirms
    assert "Rotate the secret" in client.get(_page(f"{endpoint.pk}/rotate/")).content.decode()
    assert WebhookEndpoint.objects.get().secret == old
    shown = client.post(_page(f"{endpoint.pk}/rotate/"), follow=True).content.decode()

    # then the new secret is shown once, with the old one's overlap said
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in shown
    assert "previous secret also signs" in shown

    # when they open delete, then confirm
    assert "Delete the endpoint" in client.get(_page(f"{endpoint.pk}/delete/")).content.decode()
    assert WebhookEndpoint.objects.exists()
    assert client.post(_page(f"{endpoint.pk}/delete/")).status_code == 302
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_test_event_shows_in_the_log_and_can_be_redelivered(admin: Membership, receiver: Receiver) -> None:
    # given an endpoint at the local receiver
    endpoint = endpoint_for(admin, receiver.url, kinds=[])
    client = _signed_in(admin)

    # when the admin sends a test event, then redelivers it
    log = client.post(_page(f"{endpoint.pk}/test/"), follow=True).content.decode()
    delivery = WebhookDelivery.objects.get()
    client.post(_page(f"{endpoint.pk}/deliveries/{delivery.pk}/redeliver/"))

    # then the log showed the success with its status and answer, and the receiver got both
    assert "webhook.test" in log
    assert "HTTP 200" in log
    assert "answer ok" in log
    assert len(receiver.received) == 2


def test_disable_then_enable(admin: Membership, settings: Any) -> None:
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = endpoint_for(admin, PUBLIC_URL)
    client = _signed_in(admin)

    client.post(_page(f"{endpoint.pk}/disable/"))
    assert not WebhookEndpoint.objects.get().enabled
    client.post(_page(f"{endpoint.pk}/enable/"))
    assert WebhookEndpoint.objects.get().enabled


@pytest.mark.parametrize("rows", [3, 30])
def test_the_pages_cost_the_same_queries_at_any_size(
    admin: Membership, django_assert_max_num_queries: Any, rows: int, settings: Any
) -> None:
    # given `rows` endpoints, the first with `rows` deliveries
    settings.EXECGAP_WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoints = [endpoint_for(admin, f"{PUBLIC_URL}/{n}") for n in range(rows)]
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(organization_id=admin.organization_id, endpoint=endpoints[0], event_id=str(n),
                        kind="webhook.test", payload={})
        for n in range(rows)
    )  # fmt: skip
    client = _signed_in(admin)
    client.get(_page())  # the session's organization is remembered on the first visit

    # then the list and the detail pages cost a fixed number of queries: the session, the user, the
    # membership, the scores stamp, the page's keys and its rows (and, for the detail, its endpoint)
    with django_assert_max_num_queries(7):
        listed = client.get(_page())
    with django_assert_max_num_queries(8):
        detail = client.get(_page(f"{endpoints[0].pk}/"))
    assert listed.content.decode().count("/settings/webhooks/") >= min(rows, 25)
    assert detail.content.decode().count("Redeliver delivery") == min(rows, 25)
