"""Settings → Webhooks: register endpoints, see a secret once, read the deliveries, act on an endpoint.

Admins only (`Resource.WEBHOOK`); others get the 403 page. Views stay thin: the form checks the input,
`webhooks.services` writes, the deliveries log is a keyset page.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Key, Order, Params, keyset_page, search_box, search_term
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.web.forms import WebhookEndpointForm

NEWEST_FIRST = Order(Key("created_at", descending=True), Key("id", descending=True))
ENDPOINTS_PER_PAGE = 25
DELIVERIES_PER_PAGE = 25
# The session key under which a new secret waits for the one page that shows it.
SECRET_SESSION_KEY = "execgap_webhook_secret"


def _endpoint(request: OrgRequest, pk: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint.objects.for_org(request.org.organization), pk=pk)


def _show_secret_once(request: OrgRequest, endpoint: WebhookEndpoint) -> HttpResponse:
    request.session[SECRET_SESSION_KEY] = {"endpoint": endpoint.pk, "secret": endpoint.secret}
    return redirect("webhook_secret", org_slug=request.org.organization.slug, pk=endpoint.pk)


@org_page(Resource.WEBHOOK, Action.VIEW)
def webhook_list(request: OrgRequest) -> HttpResponse:
    """The organization's endpoints (a page at a time, searched by URL or description), and the form
    that registers one."""
    organization = request.org.organization
    form = WebhookEndpointForm(request.POST or None, org=request.org)
    if request.method == "POST":
        request.org.require(Resource.WEBHOOK, Action.CREATE)
        if form.is_valid():
            endpoint = form.submit(
                lambda: services.webhook_create(actor=request.org.membership, data=form.cleaned_data)
            )
            if endpoint is not None:
                return _show_secret_once(request, endpoint)
    params = Params(request)
    term = search_term(request)
    rows = WebhookEndpoint.objects.for_org(organization)
    if term:
        rows = rows.filter(Q(url__icontains=term) | Q(description__icontains=term))
    page = keyset_page(
        rows, NEWEST_FIRST, params=params, label="Pages of webhook endpoints", size=ENDPOINTS_PER_PAGE,
        texts=("Newer endpoints", "Older endpoints"),
    )  # fmt: skip
    context = {
        "form": form,
        "page": page,
        "search": search_box(
            params=params, label="URL or description contains", form_label="Search the endpoints"
        ),
    }
    return render(request, "webhooks/list.html", context, status=400 if form.errors or page.error else 200)


@org_page(Resource.WEBHOOK, Action.VIEW)
def webhook_secret(request: OrgRequest, pk: int) -> HttpResponse:
    """The endpoint's new secret, once: a reload finds it gone (rotate to get another)."""
    endpoint = _endpoint(request, pk)
    waiting = request.session.get(SECRET_SESSION_KEY) or {}
    secret = waiting.get("secret") if waiting.get("endpoint") == endpoint.pk else None
    if secret is not None:
        del request.session[SECRET_SESSION_KEY]
    return render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret})


@org_page(Resource.WEBHOOK, Action.VIEW)
def webhook_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """An endpoint, its actions, and its deliveries log, newest first, a page at a time."""
    endpoint = _endpoint(request, pk)
    page = keyset_page(
        WebhookDelivery.objects.for_org(request.org.organization).filter(endpoint=endpoint),
        NEWEST_FIRST, params=Params(request), label="Pages of deliveries", size=DELIVERIES_PER_PAGE,
        texts=("Newer deliveries", "Older deliveries"),
    )  # fmt: skip
    context = {"endpoint": endpoint, "page": page}
    return render(request, "webhooks/detail.html", context, status=400 if page.error else 200)


@org_page(Resource.WEBHOOK, Action.CHANGE)
@require_POST
def webhook_test(request: OrgRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    delivery = services.webhook_send_test(actor=request.org.membership, endpoint=endpoint)
    messages.success(request, f"Test event sent (delivery {delivery.pk}): its result is in the log below.")
    return redirect("webhook_detail", org_slug=request.org.organization.slug, pk=endpoint.pk)


@org_page(Resource.WEBHOOK, Action.CHANGE)
@require_POST
def webhook_redeliver(request: OrgRequest, pk: int, delivery_pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    delivery = get_object_or_404(
        WebhookDelivery.objects.for_org(request.org.organization).filter(endpoint=endpoint), pk=delivery_pk
    )
    again = services.delivery_redeliver(actor=request.org.membership, delivery=delivery)
    messages.success(request, f"Delivery {delivery.pk} sent again as delivery {again.pk}.")
    return redirect("webhook_detail", org_slug=request.org.organization.slug, pk=endpoint.pk)


@org_page(Resource.WEBHOOK, Action.CHANGE)
@require_POST
def webhook_enabled(request: OrgRequest, pk: int, enabled: bool) -> HttpResponse:
    endpoint = services.webhook_set_enabled(
        actor=request.org.membership, endpoint=_endpoint(request, pk), enabled=enabled
    )
    messages.success(request, f"The endpoint is {'enabled' if enabled else 'disabled'}.")
    return redirect("webhook_detail", org_slug=request.org.organization.slug, pk=endpoint.pk)


@org_page(Resource.WEBHOOK, Action.CHANGE)
def webhook_rotate(request: OrgRequest, pk: int) -> HttpResponse:
    """Asks first (GET); the confirmation (POST) makes a new secret and shows it once."""
    endpoint = _endpoint(request, pk)
    if request.method != "POST":
        return render(request, "webhooks/confirm.html", {"endpoint": endpoint, "rotate": True})
    endpoint = services.webhook_rotate_secret(actor=request.org.membership, endpoint=endpoint)
    return _show_secret_once(request, endpoint)


@org_page(Resource.WEBHOOK, Action.DELETE)
def webhook_delete(request: OrgRequest, pk: int) -> HttpResponse:
    """Asks first (GET); the confirmation (POST) deletes the endpoint with its deliveries log."""
    endpoint = _endpoint(request, pk)
    if request.method != "POST":
        return render(request, "webhooks/confirm.html", {"endpoint": endpoint, "rotate": False})
    services.webhook_delete(actor=request.org.membership, endpoint=endpoint)
    messages.success(request, f"The endpoint {endpoint.url} is deleted.")
    return redirect("webhook_list", org_slug=request.org.organization.slug)
