"""Allocation and task pickers of the scenario editor: the search behind "which allocation" and
"which task" (people and goals have theirs in `resources.web.search` and `objectives.web.goal_search`).

`GET /o/<slug>/scenarios/allocations/search/?q=...` answers the best 20 current allocations (not
ended before today) by their person's name or their initiative's title; `GET /o/<slug>/scenarios/
tasks/search/?q=...` the best 20 tasks by title or external key. One query each (the organization's
index bounds the scan; a task search is the workspace's own title search, over the organization).
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from execgap.web.pages import OrgContext, OrgRequest, org_page
from execgap.web.picker import Match, Matches, Source, matches_response, ranked, search_query, use_picker
from execgap.web.picker.search import words_of
from objectives.models import Task
from resources.models import Allocation


def today() -> date:
    """D of a drafted change: today's UTC date, as the scenario services read it."""
    return timezone.now().astimezone(UTC).date()


def hours_text(value: Any) -> str:
    """Hours as a person writes them: 10, 7.5 (never 10.00)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:g}"


def allocation_label(allocation: Allocation) -> str:
    return (
        f"{allocation.person.name} on “{allocation.initiative.title}”, "
        f"{hours_text(allocation.hours_per_week)} h/week"
    )


def allocation_choices(org: OrgContext) -> QuerySet[Allocation]:
    """The allocations a change may name: those not ended before today."""
    return (
        Allocation.objects.for_org(org.organization)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today()))
        .select_related("person", "initiative")
    )


def allocation_matches(org: OrgContext, *, query: str, limit: int = 20) -> Matches:
    """The best `limit` current allocations for `query` (the person's name or the initiative's
    title); before anything is typed, the allocations made last."""
    allocations = (
        ranked(allocation_choices(org), "person__name", query, also=("initiative__title",))
        if words_of(query)
        else allocation_choices(org).order_by("-pk")
    )
    rows = list(allocations[: limit + 1])
    return Matches(
        rows=[
            Match(
                str(row.pk), allocation_label(row), f"until {row.end_date:%-d %b %Y}" if row.end_date else ""
            )
            for row in rows[:limit]
        ],
        more=len(rows) > limit,
    )


@org_page(fragment=True)
def allocation_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the organization's current allocations."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        return allocation_matches(request.org, query=query), query, "allocations"

    return matches_response(request, search)


class AllocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return allocation_label(obj)


def allocation_picker(form: forms.BaseForm, name: str, org: OrgContext) -> None:
    source = Source(
        url=reverse("scenarios_allocation_search", kwargs={"org_slug": org.organization.slug}),
        search=lambda query, limit: allocation_matches(org, query=query, limit=limit),
        noun="allocations",
    )
    use_picker(form, name, source)


def task_choices(org: OrgContext) -> QuerySet[Task]:
    return Task.objects.for_org(org.organization)


def task_matches(org: OrgContext, *, query: str, limit: int = 20) -> Matches:
    """The best `limit` tasks for `query` (title or external key, trigram-indexed on PostgreSQL);
    before anything is typed, the tasks changed last (an index, not a sort of every task by title)."""
    tasks = (
        ranked(task_choices(org), "title", query, also=("external_key",))
        if words_of(query)
        else task_choices(org).order_by("-updated_at")  # the (organization, updated_at) index
    )
    rows = list(tasks.values_list("pk", "title", "external_key", "status")[: limit + 1])
    return Matches(
        rows=[
            Match(str(pk), title, " · ".join(part for part in (key, status.replace("_", " ")) if part))
            for pk, title, key, status in rows[:limit]
        ],
        more=len(rows) > limit,
    )


@org_page(fragment=True)
def task_search(request: OrgRequest) -> HttpResponse:
    """The best matches for `?q=` among the organization's tasks (title or external key)."""

    def search() -> tuple[Matches, str, str]:
        query = search_query(request)
        return task_matches(request.org, query=query), query, "tasks"

    return matches_response(request, search)


def task_picker(form: forms.BaseForm, name: str, org: OrgContext) -> None:
    source = Source(
        url=reverse("scenarios_task_search", kwargs={"org_slug": org.organization.slug}),
        search=lambda query, limit: task_matches(org, query=query, limit=limit),
        noun="tasks",
    )
    use_picker(form, name, source)
