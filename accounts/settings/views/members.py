"""Memberships: who belongs to the organization and with which role (admins only).

The organization always keeps an admin: the services refuse to demote or remove the last one,
and the page shows that refusal beside the role.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.settings.forms import RoleForm
from accounts.settings.selectors import MEMBERS_ORDER, member_rows, memberships_of
from accounts.settings.views.common import posted, section, submitted
from execgap.models import Membership, Role
from execgap.roles import Action, Resource
from execgap.services import membership_delete, membership_update
from execgap.web.forms import OrgForm
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Params, keyset_page, search_box, search_term


def _members_url(request: OrgRequest) -> str:
    return reverse("settings_members", kwargs={"org_slug": request.org.organization.slug})


def _membership(request: OrgRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user").filter(organization=request.org.organization), pk=pk
    )


@org_page(Resource.MEMBERSHIP)
def member_list(request: OrgRequest) -> HttpResponse:
    """The members by username, a keyset page at a time, searched by username, name or email."""
    org = request.org
    params = Params(request)
    search = search_term(request)
    memberships = memberships_of(organization=org.organization, search=search)
    page = keyset_page(memberships, MEMBERS_ORDER, params=params, label="Pages of members")
    rows = member_rows(organization=org.organization, memberships=page.rows)
    context = {
        "page": page,
        "rows": rows,
        "search": search_box(
            params=params, label="Username, name or email contains", form_label="Search the members"
        ),
        "roles": Role.choices,
        "can_invite": org.can(Resource.MEMBERSHIP, Action.CREATE),
        "can_change": org.can(Resource.MEMBERSHIP, Action.CHANGE),
        "can_delete": org.can(Resource.MEMBERSHIP, Action.DELETE),
        "can_add_person": org.can(Resource.PERSON, Action.CREATE),
        **section(request, "members"),
    }
    return render(request, "accounts/settings/members.html", context, status=400 if page.error else 200)


@org_page(Resource.MEMBERSHIP, Action.CHANGE)
def member_role(request: OrgRequest, pk: int) -> HttpResponse:
    """Change a member's role (the list posts here; the page itself shows the form and any refusal)."""
    org = request.org
    membership = _membership(request, pk)
    form = RoleForm(posted(request), org=org, initial={"role": membership.role})
    if request.method == "POST":

        def save() -> Membership:
            return membership_update(
                actor=org.membership, membership=membership, role=form.cleaned_data["role"]
            )

        if submitted(form, save):
            role = Role(form.cleaned_data["role"]).label
            messages.success(request, f"{membership.user.get_username()} is now {role.lower()}.")
            if membership.pk == org.membership.pk and form.cleaned_data["role"] != Role.ADMIN:
                # No longer an admin: the members list is closed to them now.
                return redirect("settings", org_slug=org.organization.slug)
            return redirect(_members_url(request))
    context = {"form": form, "membership": membership, **section(request, "members")}
    return render(request, "accounts/settings/member_role.html", context, status=400 if form.errors else 200)


@org_page(Resource.MEMBERSHIP, Action.DELETE)
def member_remove(request: OrgRequest, pk: int) -> HttpResponse:
    """Confirm, then remove: the user loses access to the organization (and their tokens with it)."""
    org = request.org
    membership = _membership(request, pk)
    form = OrgForm(posted(request), org=org)
    if request.method == "POST" and submitted(
        form, lambda: membership_delete(actor=org.membership, membership=membership)
    ):
        name = membership.user.get_username()
        messages.success(request, f"{name} no longer belongs to {org.organization.name}.")
        if membership.pk == org.membership.pk:
            return redirect("home")  # they removed themselves
        return redirect(_members_url(request))
    context = {"form": form, "membership": membership, **section(request, "members")}
    return render(
        request, "accounts/settings/member_remove.html", context, status=400 if form.errors else 200
    )
