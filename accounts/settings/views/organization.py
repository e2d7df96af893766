"""The settings overview: the organization, its scoring parameters, and the way to the other sections."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts.settings.forms import PARAMETER_HELP, PARAMETER_LABELS, PARAMETERS, OrganizationForm
from accounts.settings.selectors import settings_counts
from accounts.settings.views.common import section, submitted
from execgap.models import Organization
from execgap.roles import Action, Resource
from execgap.services import organization_update
from execgap.web.pages import OrgRequest, org_page


@org_page()
def settings(request: OrgRequest) -> HttpResponse:
    """Every member reads the settings; admins change the name and the scoring parameters.

    A changed parameter marks the scores stale (the service does), and the header shows the
    recompute until the new snapshot lands.
    """
    org = request.org
    organization = org.organization
    can_change = org.can(Resource.ORGANIZATION, Action.CHANGE)
    form: OrganizationForm | None = None
    status = 200
    if request.method == "POST":
        org.require(Resource.ORGANIZATION, Action.CHANGE)
        # A copy: the form writes the input onto its instance, and the page header shows the stored name.
        posted = OrganizationForm(request.POST, instance=copy.copy(organization), org=org)
        form = posted

        def save() -> Organization:
            return organization_update(
                actor=org.membership,
                data=posted.service_data(),
                expected_version=posted.version,
                reason=posted.cleaned_data["reason"],
            )

        if submitted(posted, save):
            if set(posted.changed_data) & set(PARAMETERS):
                messages.success(
                    request, "Settings saved. The scores are being recomputed with the new parameters."
                )
            else:
                messages.success(request, "Settings saved.")
            return redirect("settings", org_slug=organization.slug)
        status = 400
    elif can_change:
        form = OrganizationForm(instance=copy.copy(organization), org=org)
    parameters = [
        {"label": PARAMETER_LABELS[name], "help": PARAMETER_HELP[name], "value": getattr(organization, name)}
        for name in PARAMETERS
    ]
    context = {
        "form": form,
        "parameters": parameters,
        "counts": settings_counts(organization=organization),
        "can_change": can_change,
        "can_view_members": org.can(Resource.MEMBERSHIP, Action.VIEW),
        "can_invite": org.can(Resource.MEMBERSHIP, Action.CREATE),
        **section(request, "organization"),
    }
    return render(request, "accounts/settings/overview.html", context, status=status)
