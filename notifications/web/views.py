"""The inbox, the bell, the preferences, the unsubscribe link of an email and the digest preview.

Thin views: `notifications.services` writes; every query is the signed-in user's own notifications
in this organization (another user's or another organization's are a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from execgap.models import Membership
from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import ListPage, Params, numbered_page
from notifications import digest, emails, preferences, services
from notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from notifications.web.forms import InboxFilterForm, PreferencesForm

INBOX_PAGE_SIZE = 25


def own_notifications(request: OrgRequest) -> QuerySet[Notification]:
    """The user's in-app notifications in this organization."""
    return Notification.objects.for_org(request.org.organization).filter(
        recipient_id=request.user.pk, in_app=True
    )


def unread_count(request: OrgRequest) -> int:
    return own_notifications(request).filter(read_at__isnull=True).count()


def _inbox_url(request: OrgRequest) -> str:
    return reverse("notifications", kwargs={"org_slug": request.org.organization.slug})


@org_page()
def inbox(request: OrgRequest) -> HttpResponse:
    """Unread first, then the newest; filtered by read state, kind and words of the title.

    `?open=<id>` (each notification's link): mark it read and go to what it is about.
    """
    if "open" in request.GET:
        notification = _own_notification(request, request.GET.get("open"))
        services.notification_mark_read(notification=notification)
        return redirect(notification.url_path or _inbox_url(request))
    form = InboxFilterForm(request.GET)
    form.is_valid()
    chosen = form.cleaned_data
    rows = own_notifications(request)
    if chosen.get("state") == "unread":
        rows = rows.filter(read_at__isnull=True)
    elif chosen.get("state") == "read":
        rows = rows.filter(read_at__isnull=False)
    if chosen.get("kind"):
        rows = rows.filter(kind=chosen["kind"])
    if chosen.get("q"):
        rows = rows.filter(title__icontains=chosen["q"])
    rows = rows.annotate(
        unread=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("unread", "-created_at", "-id")
    page: ListPage[Notification] = numbered_page(
        rows, params=Params(request), label="Pages of your notifications", size=INBOX_PAGE_SIZE
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "filter_form": form,
            "filtered": any(chosen.get(name) for name in ("q", "state", "kind")),
            "unread": unread_count(request),
        },
        status=400 if page.error else 200,
    )


@org_page(fragment=True)
def bell(request: OrgRequest) -> HttpResponse:
    """The header's bell with the unread count, polled by htmx: one indexed count (rendered without
    the page's context processors, which would read the menus and the scores for nothing)."""
    context = {"org": request.org, "unread": unread_count(request)}
    return HttpResponse(render_to_string("notifications/bell.html", context))


def _own_notification(request: OrgRequest, raw: str | None) -> Notification:
    """The user's notification named by `raw` (an id), else a 404 (another user's is a 404 too)."""
    if not raw or not raw.isdigit():
        raise Http404("No such notification.")
    return get_object_or_404(own_notifications(request), pk=int(raw))


@org_page()
@require_POST
def notification_read(request: OrgRequest) -> HttpResponse:
    """Mark the notification posted as `id` read."""
    notification = _own_notification(request, request.POST.get("id"))
    services.notification_mark_read(notification=notification)
    messages.success(request, "Marked read.")
    return redirect(_inbox_url(request))


@org_page()
@require_POST
def notifications_read_all(request: OrgRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(
        organization=request.org.organization, user_id=request.user.pk
    )
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect(_inbox_url(request))


@org_page()
def preferences_edit(request: OrgRequest) -> HttpResponse:
    """Every kind with a radio per channel; saving sets the kinds that changed."""
    membership = request.org.membership
    current = {
        kind.value: channel.value
        for kind, channel, _version in preferences.preferences_of(
            organization_id=membership.organization_id, user_id=request.user.pk, role=membership.role
        )
    }
    form = PreferencesForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind in NotificationKind:
            if form.cleaned_data[kind.value] != current[kind.value]:
                services.preference_set(
                    organization=request.org.organization,
                    user_id=request.user.pk,
                    kind=kind,
                    channel=Channel(form.cleaned_data[kind.value]),
                )
        messages.success(request, "Notification preferences saved.")
        return redirect(
            reverse("notification_preferences", kwargs={"org_slug": request.org.organization.slug})
        )
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "channels": Channel.choices},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # RFC 8058: the mail client posts without a session; the signed token is the authority
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask to confirm; POST: stop the emails of the token's kind (no sign-in needed)."""
    value = emails.unsubscribe_read(token)
    membership = (
        Membership.objects.select_related("organization")
        .filter(organization_id=value["o"], user_id=value["u"])
        .first()
        if value
        else None
    )
    if value is None or membership is None:
        raise Http404("This unsubscribe link is not valid.")
    kind = NotificationKind(value["k"])
    done = False
    if request.method == "POST":
        channel = NotificationPreference.objects.for_org(membership.organization).filter(
            user_id=membership.user_id, kind=kind
        ).values_list("channel", flat=True).first() or preferences.default_channel(kind, membership.role)
        services.preference_set(
            organization=membership.organization,
            user_id=membership.user_id,
            kind=kind,
            channel=Channel.IN_APP if preferences.wants_in_app(channel) else Channel.NONE,
        )
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind": kind, "done": done, "organization": membership.organization, "now": timezone.now()},
    )


@org_page(Resource.DIGEST, Action.VIEW)
def digest_preview(request: OrgRequest) -> HttpResponse:
    """The digest as it would be sent now."""
    built = digest.digest_build(organization=request.org.organization, as_of=timezone.now())
    return render(request, "notifications/digest.html", {"digest": built})
