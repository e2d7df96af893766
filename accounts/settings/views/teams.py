"""Teams in the settings: the tree for every member; create, edit and delete for admins."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.settings.forms import DeleteForm, TeamForm
from accounts.settings.selectors import team_rows, team_rows_detailed
from accounts.settings.views.common import next_url, posted, redirect_next, section, submitted
from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Params, numbered_page, search_box, search_term
from objectives.models import Initiative, Objective
from resources.models import Team
from resources.services import team_create, team_delete, team_update


def _teams_url(request: OrgRequest) -> str:
    return reverse("settings_teams", kwargs={"org_slug": request.org.organization.slug})


@org_page(Resource.TEAM)
def team_list(request: OrgRequest) -> HttpResponse:
    """The team tree in numbered pages (hundreds of teams, not millions), or the teams whose name
    contains the search; leads and head counts are read for the page's teams only."""
    org = request.org
    params = Params(request)
    search = search_term(request)
    page = numbered_page(
        team_rows(organization=org.organization, search=search), params=params, label="Pages of teams"
    )
    context = {
        "page": page,
        "rows": team_rows_detailed(organization=org.organization, rows=page.rows),
        "searched": bool(search),
        "search": search_box(params=params, label="Team name contains", form_label="Search the teams"),
        "can_create": org.can(Resource.TEAM, Action.CREATE),
        "can_change": org.can(Resource.TEAM, Action.CHANGE),
        "can_delete": org.can(Resource.TEAM, Action.DELETE),
        **section(request, "teams"),
    }
    return render(request, "accounts/settings/teams.html", context, status=400 if page.error else 200)


@org_page(Resource.TEAM, Action.CREATE)
def team_new(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = TeamForm(posted(request), org=org)
    if request.method == "POST" and submitted(
        form, lambda: team_create(actor=org.membership, data=form.service_data())
    ):
        messages.success(request, f"Team “{form.cleaned_data['name']}” created.")
        return redirect_next(request, _teams_url(request))
    context = {"form": form, "team": None, "next": next_url(request), **section(request, "teams")}
    return render(request, "accounts/settings/team_form.html", context, status=400 if form.errors else 200)


@org_page(Resource.TEAM, Action.CHANGE)
def team_edit(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    team = get_object_or_404(Team.objects.for_org(org.organization), pk=pk)
    form = TeamForm(posted(request), instance=team, org=org)
    if request.method == "POST":

        def save() -> Team:
            return team_update(
                actor=org.membership, team=team, data=form.service_data(), expected_version=form.version
            )

        if submitted(form, save):
            messages.success(request, f"Team “{form.cleaned_data['name']}” saved.")
            return redirect_next(request, _teams_url(request))
    context = {"form": form, "team": team, "next": next_url(request), **section(request, "teams")}
    return render(request, "accounts/settings/team_form.html", context, status=400 if form.errors else 200)


@org_page(Resource.TEAM, Action.DELETE)
def team_remove(request: OrgRequest, pk: int) -> HttpResponse:
    """Confirm, then delete: a team with child teams is refused (the service says so)."""
    org = request.org
    team = get_object_or_404(
        Team.objects.for_org(org.organization).annotate(
            people_count=Count("people", distinct=True), children_count=Count("children", distinct=True)
        ),
        pk=pk,
    )
    form = DeleteForm(posted(request), org=org, initial={"expected_version": team.version})
    if request.method == "POST":

        def delete() -> None:
            version = form.cleaned_data["expected_version"]
            team_delete(actor=org.membership, team=team, expected_version=version)

        if submitted(form, delete):
            messages.success(request, f"Team “{team.name}” deleted.")
            return redirect_next(request, _teams_url(request))
    goals = Q(team=team)
    context = {
        "form": form,
        "team": team,
        "objectives_count": Objective.objects.for_org(org.organization).filter(goals).count(),
        "initiatives_count": Initiative.objects.for_org(org.organization).filter(goals).count(),
        **section(request, "teams"),
    }
    return render(request, "accounts/settings/team_delete.html", context, status=400 if form.errors else 200)
