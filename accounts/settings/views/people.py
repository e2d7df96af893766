"""People in the settings: the list for every member; create, edit and delete for admins."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.settings.forms import DeleteForm, PersonForm
from accounts.settings.selectors import PEOPLE_ORDER, people_of
from accounts.settings.views.common import next_url, posted, redirect_next, section, submitted
from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Params, keyset_page
from objectives.models import Initiative, Objective
from resources.models import Allocation, Person
from resources.services import person_create, person_delete, person_update
from resources.web.search import TeamFilterForm


class PeopleFilter(TeamFilterForm):
    q = forms.CharField(required=False, max_length=200, label="Name or email contains")

    team_empty_label = "All teams"


def _people_url(request: OrgRequest) -> str:
    return reverse("settings_people", kwargs={"org_slug": request.org.organization.slug})


def people_filtered(request: OrgRequest) -> tuple[PeopleFilter, QuerySet[Person]]:
    """The list's filters and the people they select (by team, by name or email): each filter that is
    valid applies (an unknown team alone is ignored)."""
    filters = PeopleFilter(request.GET, org=request.org)
    filters.is_valid()
    team = filters.cleaned_data.get("team")
    search = filters.cleaned_data.get("q", "").strip()
    organization = request.org.organization
    people = people_of(organization=organization, team_id=team.pk if team else None, search=search)
    return filters, people


@org_page(Resource.PERSON)
def person_list(request: OrgRequest) -> HttpResponse:
    """The people by name, a keyset page at a time (an organization has tens of thousands), filtered
    by team and searched by name or email; a damaged page link answers 400 with the first page."""
    org = request.org
    filters, people = people_filtered(request)
    team = filters.cleaned_data.get("team")
    search = filters.cleaned_data.get("q", "").strip()
    page = keyset_page(people, PEOPLE_ORDER, params=Params(request), label="Pages of people")
    context = {
        "filters": filters,
        "page": page,
        "filtered": bool(team or search),
        "can_create": org.can(Resource.PERSON, Action.CREATE),
        "can_change": org.can(Resource.PERSON, Action.CHANGE),
        "can_delete": org.can(Resource.PERSON, Action.DELETE),
        **section(request, "people"),
    }
    return render(request, "accounts/settings/people.html", context, status=400 if page.error else 200)


@org_page(Resource.PERSON, Action.CREATE)
def person_new(request: OrgRequest) -> HttpResponse:
    org = request.org
    # Prefilled from the team's page (?team=) or a member's row (?user=&name=&email=); the form
    # offers only the organization's rows, so another organization's id preselects nothing.
    initial = {name: request.GET[name] for name in ("team", "user") if request.GET.get(name, "").isdigit()}
    initial |= {name: request.GET[name][:200] for name in ("name", "email") if request.GET.get(name)}
    form = PersonForm(posted(request), org=org, initial=initial)
    if request.method == "POST" and submitted(
        form, lambda: person_create(actor=org.membership, data=form.service_data())
    ):
        messages.success(request, f"{form.cleaned_data['name']} added.")
        return redirect_next(request, _people_url(request))
    context = {"form": form, "person": None, "next": next_url(request), **section(request, "people")}
    return render(request, "accounts/settings/person_form.html", context, status=400 if form.errors else 200)


@org_page(Resource.PERSON, Action.CHANGE)
def person_edit(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    person = get_object_or_404(Person.objects.for_org(org.organization), pk=pk)
    form = PersonForm(posted(request), instance=person, org=org)
    if request.method == "POST":

        def save() -> Person:
            return person_update(
                actor=org.membership, person=person, data=form.service_data(), expected_version=form.version
            )

        if submitted(form, save):
            messages.success(request, f"{form.cleaned_data['name']} saved.")
            return redirect_next(request, _people_url(request))
    context = {"form": form, "person": person, "next": next_url(request), **section(request, "people")}
    return render(request, "accounts/settings/person_form.html", context, status=400 if form.errors else 200)


@org_page(Resource.PERSON, Action.DELETE)
def person_remove(request: OrgRequest, pk: int) -> HttpResponse:
    """Confirm, then delete; the page says what goes with the person (allocations, ownership)."""
    org = request.org
    person = get_object_or_404(Person.objects.for_org(org.organization), pk=pk)
    form = DeleteForm(posted(request), org=org, initial={"expected_version": person.version})
    if request.method == "POST":

        def delete() -> None:
            version = form.cleaned_data["expected_version"]
            person_delete(actor=org.membership, person=person, expected_version=version)

        if submitted(form, delete):
            messages.success(request, f"{person.name} deleted.")
            return redirect_next(request, _people_url(request))
    organization = org.organization
    context = {
        "form": form,
        "person": person,
        "allocations_count": Allocation.objects.for_org(organization).filter(person=person).count(),
        "objectives_count": Objective.objects.for_org(organization).filter(owner=person).count(),
        "initiatives_count": Initiative.objects.for_org(organization).filter(owner=person).count(),
        **section(request, "people"),
    }
    return render(
        request, "accounts/settings/person_delete.html", context, status=400 if form.errors else 200
    )
