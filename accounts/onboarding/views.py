"""Sign-up, a first organization, and invitations: sending, listing, revoking and accepting them.

Views stay thin: a form checks the input, a service writes (`accounts.services`,
`execgap.services.organization_create`), a selector reads (`accounts.selectors`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts import services
from accounts.models import Invitation, InvitationStatus
from accounts.onboarding.forms import InvitationForm, OrganizationCreateForm, SignUpForm, suggested_slug
from accounts.selectors import InvitationNotFound, invitation_by_token, invitations_of
from accounts.services import UNAVAILABLE_MESSAGES, AlreadyMemberError, InvitationUnavailableError
from execgap.models import Membership
from execgap.roles import Action, Resource
from execgap.services import organization_create as create_organization
from execgap.views import signup_rate
from execgap.web.pages import AuthenticatedRequest, OrgRequest, org_page, safe_next
from execgap.web.paging import (
    Choice,
    Key,
    Order,
    Params,
    choice_value,
    keyset_page,
    search_box,
    search_term,
)

INVITATIONS_PER_PAGE = 50
INVITATIONS_ORDER = Order(Key("created_at", descending=True), Key("id", descending=True))  # newest first
STATUS_OPTIONS: tuple[tuple[str, str], ...] = (("", "Any status"), *InvitationStatus.choices)
UNKNOWN_STATUS = "“{value}” is not a status of an invitation, so invitations of every status are shown."
# Signing a new user in without a password check: the first backend (django-axes) authenticates nothing.
SIGN_UP_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _invitation_token(request: HttpRequest) -> str:
    """The token of the invitation that brought the visitor: `?invitation=<token>`, or a `next`
    that is the invitation's page (the login page's "Sign up" link passes its `next` on)."""
    token = request.POST.get("invitation") or request.GET.get("invitation")
    if token:
        return token
    next_url = safe_next(request)
    if next_url:
        try:
            match = resolve(urlsplit(next_url).path)
        except Resolver404:
            return ""
        if match.url_name == "invitation_accept":
            return str(match.kwargs["token"])
    return ""


def _pending_invitation(token: str) -> Invitation | None:
    if not token:
        return None
    try:
        invitation = invitation_by_token(token)
    except InvitationNotFound:
        return None
    return invitation if invitation.status == InvitationStatus.PENDING else None


@never_cache
@ratelimit(key="ip", rate=signup_rate, method="POST", block=True)
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account, sign in, then go on: back to the invitation that brought the visitor, to
    `next`, or to creating a first organization."""
    invitation_token = _invitation_token(request)
    invitation = _pending_invitation(invitation_token)
    next_url = (
        reverse("invitation_accept", kwargs={"token": invitation_token}) if invitation else safe_next(request)
    )
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    initial = {"email": invitation.email} if invitation else {}
    form = SignUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = form.submit(
            lambda: services.user_sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        )
        if user is not None:
            login(request, user, backend=SIGN_UP_BACKEND)
            messages.success(request, f"Welcome to ExecGap, {user.get_username()}. Your account is ready.")
            return redirect(next_url or "organization_create")
    context = {
        "form": form,
        "next": next_url or "",
        "invitation": invitation,
        "invitation_token": invitation_token if invitation else "",
        "login_url": _with_next(reverse("login"), next_url),
    }
    return render(request, "accounts/onboarding/signup.html", context, status=400 if form.errors else 200)


def _with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@login_required
def organization_create(request: AuthenticatedRequest) -> HttpResponse:
    """A new organization, with the signed-in user as its admin; then its (empty) health page."""
    form = OrganizationCreateForm(request.POST or None, hint_url=reverse("organization_create"))
    if request.method == "POST" and form.is_valid():
        organization = form.submit(
            lambda: create_organization(
                user=request.user, slug=form.cleaned_data["slug"], name=form.cleaned_data["name"]
            )
        )
        if organization is not None:
            messages.success(
                request,
                f"{organization.name} is ready, and you are its admin. Start with a first objective, "
                "a team, or an import of your tasks; then invite your colleagues from Settings.",
            )
            return redirect("health", org_slug=organization.slug)
    name = request.POST.get("name") or request.GET.get("name") or ""
    context = {
        "form": form,
        "first": not Membership.objects.filter(user_id=request.user.pk).exists(),
        "slug_hint": suggested_slug(name) if name.strip() else "",
    }
    return render(
        request, "accounts/onboarding/organization_create.html", context, status=400 if form.errors else 200
    )


@org_page(Resource.MEMBERSHIP, Action.CREATE)
def invitation_create(request: OrgRequest) -> HttpResponse:
    """Invite someone by email with a role, beside the organization's invitations (admins only)."""
    organization = request.org.organization
    form = InvitationForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        created = form.submit(
            lambda: services.invitation_create(
                actor=request.org.membership, email=email, role=role, base_url=request.build_absolute_uri("/")
            )
        )
        if created is not None:
            _report_sending(request, created, sent=f"Invitation sent to {email}.")
            return redirect("invitation_create", org_slug=organization.slug)
    # A keyset page of the invitations sent, searched by email and chosen by status (an invitation a
    # day adds up).
    params = Params(request)
    status, status_error = invitation_status_read(request)
    page = keyset_page(
        invitations_of(organization, search=search_term(request), status=status),
        INVITATIONS_ORDER,
        params=params,
        label="Pages of invitations",
        size=INVITATIONS_PER_PAGE,
        texts=("Newer invitations", "Older invitations"),
    )
    now = timezone.now()
    rows = [(invitation, invitation.status_at(now)) for invitation in page.rows]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "search": search_box(
            params=params,
            label="Email contains",
            form_label="Search the invitations",
            choices=[Choice("status", "Status", STATUS_OPTIONS, status)],
        ),
        "status_error": status_error,
        "statuses": InvitationStatus,
        "expiry_days": services.invitation_expiry_days(),
    }
    return render(
        request,
        "accounts/onboarding/invitations.html",
        context,
        status=400 if form.errors or page.error or status_error else 200,
    )


def invitation_status_read(request: HttpRequest) -> tuple[str, str]:
    """The invitations' status filter (`?status=`, "" for any) and the error of one that is not a
    status (then any status is shown)."""
    status = choice_value(request, "status", STATUS_OPTIONS)
    if status is None:
        return "", UNKNOWN_STATUS.format(value=request.GET.get("status", "")[:30])
    return status, ""


@org_page(Resource.MEMBERSHIP, Action.DELETE)
def invitation_revoke(request: OrgRequest, pk: int) -> HttpResponse:
    """Withdraw an invitation of this organization (another organization's is not found), once
    confirmed: the link asks first (GET), the confirmation revokes (POST)."""
    organization = request.org.organization
    invitation = get_object_or_404(
        Invitation.objects.for_org(organization).select_related("invited_by"), pk=pk
    )
    if request.method != "POST":
        return render(request, "accounts/onboarding/invitation_revoke.html", {"invitation": invitation})
    try:
        services.invitation_revoke(actor=request.org.membership, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The invitation of {invitation.email} is revoked: its link no longer works."
        )
    return redirect("invitation_create", org_slug=organization.slug)


@org_page(Resource.MEMBERSHIP, Action.CREATE)
@require_POST
def invitation_resend(request: OrgRequest, pk: int) -> HttpResponse:
    """Send an invitation of this organization again, with a new link (the previous one stops working)."""
    organization = request.org.organization
    invitation = get_object_or_404(Invitation.objects.for_org(organization), pk=pk)
    try:
        created = services.invitation_resend(
            actor=request.org.membership, invitation=invitation, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report_sending(
            request, created, sent=f"Invitation sent again to {invitation.email}, with a new link."
        )
    return redirect("invitation_create", org_slug=organization.slug)


def _report_sending(request: HttpRequest, created: services.CreatedInvitation, *, sent: str) -> None:
    if created.email_sent is False:
        messages.error(
            request,
            f"The invitation of {created.instance.email} is saved, but its email could not be sent "
            "(the mail server refused it). Try “Resend” in a few minutes.",
        )
    else:
        messages.success(request, sent)


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: what it offers; a signed-in user accepts it (POST), anyone else is
    offered to log in or sign up and comes back here. A link that lets nobody in says why (404, 410)."""
    try:
        invitation = invitation_by_token(token)
    except InvitationNotFound:
        return _unavailable(request, None, status=404)
    status = invitation.status
    if status != InvitationStatus.PENDING:
        return _unavailable(request, invitation, status=410)
    here = reverse("invitation_accept", kwargs={"token": token})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(_with_next(reverse("login"), here))
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except InvitationUnavailableError:  # used or revoked since the page was read
            invitation.refresh_from_db()
            return _unavailable(request, invitation, status=410)
        except AlreadyMemberError as already:
            return _accept_page(request, invitation, token, member=already.membership, status=409)
        messages.success(
            request,
            f"Welcome to {membership.organization.name}: you joined as "
            f"{membership.get_role_display().lower()}.",
        )
        return redirect("health", org_slug=membership.organization.slug)
    member = None
    if request.user.is_authenticated:
        member = Membership.objects.filter(
            organization_id=invitation.organization_id, user_id=request.user.pk
        ).first()
    return _accept_page(request, invitation, token, member=member)


def _accept_page(
    request: HttpRequest, invitation: Invitation, token: str, *, member: Membership | None, status: int = 200
) -> HttpResponse:
    here = reverse("invitation_accept", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "token": token,
        "organization": invitation.organization,
        "member": member,
        "login_url": _with_next(reverse("login"), here),
        "signup_url": f"{reverse('signup')}?{urlencode({'invitation': token})}",
        "email_differs": (
            request.user.is_authenticated and (request.user.email or "").lower() != invitation.email.lower()
        ),
    }
    return render(request, "accounts/onboarding/invitation_accept.html", context, status=status)


def _unavailable(request: HttpRequest, invitation: Invitation | None, *, status: int) -> HttpResponse:
    message = (
        UNAVAILABLE_MESSAGES[invitation.status]
        if invitation is not None
        else "This invitation link is not valid. Check that you opened the whole link from the email, "
        "or ask an administrator of the organization to send you a new invitation."
    )
    return render(
        request,
        "accounts/onboarding/invitation_unavailable.html",
        {"message": message, "invitation": invitation},
        status=status,
    )
