"""Pages of check-ins, feedback and recognitions, and "my work".

Thin views: the selectors in `feedback.web.selectors` read, the services in `feedback.services`
write (with their role checks: a member writes as themselves only; a lead answers their team's
feedback).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from execgap import roles
from execgap.roles import Action, Resource, Scope
from execgap.web.pages import OrgRequest, org_page, safe_next
from execgap.web.paging import ListPage, Params, keyset_page, numbered_page, search_box, search_term
from execgap.web.scores import latest_snapshot_id, with_scores_status
from feedback import services
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus
from feedback.web import selectors
from feedback.web.forms import (
    CheckInForm,
    FeedbackAnswerForm,
    FeedbackFilterForm,
    FeedbackForm,
    RecognitionForm,
)
from objectives.models import Initiative, KeyResult, Objective

FEEDBACK_PAGE_SIZE = 50

# ?<name>=<id> of the check-in page: what the check-in is on.
CHECK_IN_TARGETS: dict[str, type[Model]] = {
    "key_result": KeyResult,
    "initiative": Initiative,
    "objective": Objective,
}


def _url(request: OrgRequest, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": request.org.organization.slug, **kwargs})


def _linked_row(request: OrgRequest, name: str, model: type[Model]) -> Model | None:
    """The row named by `?<name>=<id>`, in this organization (another organization's id is a 404)."""
    raw = request.GET.get(name)
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(f"No such {name.replace('_', ' ')}.")
    return get_object_or_404(model.objects.for_org(request.org.organization), pk=int(raw))  # type: ignore[attr-defined]


@org_page()
def my_work(request: OrgRequest) -> HttpResponse:
    """My open tasks and the goals they serve, my check-ins due, my feedback and recognitions, and the
    feedback waiting for my answer: each section a short page of its own, paged in place (each with
    its own parameters), so that the page is as light for someone with thousands of tasks."""
    org = request.org
    organization = org.organization
    person = org.person
    context: dict[str, Any] = {
        "person": person,
        "can_check_in": org.can(Resource.CHECK_IN, Action.CREATE),
        "can_raise": org.can(Resource.FEEDBACK, Action.CREATE),
        "can_recognize": org.can(Resource.RECOGNITION, Action.CREATE),
    }
    pages: list[ListPage[Any]] = []
    answer_scope = roles.scope_of(org.membership, Resource.FEEDBACK, Action.ANSWER)
    if answer_scope is not None:
        team_ids = None if Scope.ANY in answer_scope else roles.team_ids_of(org.membership)
        context["to_answer"] = keyset_page(
            selectors.feedback_to_answer(organization=organization, team_ids=team_ids),
            selectors.TO_ANSWER_ORDER,
            params=Params(request, prefix="answer_"),
            label="Pages of the feedback waiting for your answer",
            size=selectors.MY_WORK_PAGE_SIZE,
            target="my-answers",
            swap="main",
        )
        pages.append(context["to_answer"])
    if person is not None:
        tasks = keyset_page(
            selectors.my_open_tasks(organization=organization, person=person),
            selectors.MY_TASKS_ORDER,
            params=Params(request, prefix="tasks_"),
            label="Pages of your open tasks",
            size=selectors.MY_TASKS_PAGE_SIZE,
            target="my-tasks",
            swap="main",
        )
        context["tasks"] = tasks
        context["task_rows"] = selectors.with_chains(organization=organization, tasks=tasks.rows)
        context["served"], context["more_served"] = selectors.served_goals(
            organization=organization, person=person, limit=selectors.SERVED_LIMIT
        )
        due = numbered_page(
            selectors.check_ins_due(organization=organization, person=person, as_of=timezone.now().date()),
            params=Params(request, prefix="due_"),
            label="Pages of your check-ins due",
            size=selectors.MY_WORK_PAGE_SIZE,
            target="my-due",
            swap="main",
        )
        context["due"] = due
        context["owns_goals"] = not due.rows and selectors.owns_tracked_goals(
            organization=organization, person=person
        )
        context["due_rows"] = selectors.with_key_results(organization=organization, items=due.rows)
        context["raised"] = _newest_first(
            request,
            "raised",
            "the feedback you raised",
            selectors.raised_by(organization=organization, person=person),
        )
        context["received"] = _newest_first(
            request, "received", "the recognitions you got",
            selectors.recognitions_of(organization=organization, to_person=person),
        )  # fmt: skip
        context["given"] = _newest_first(
            request, "given", "the recognitions you gave",
            selectors.recognitions_of(organization=organization, from_person=person),
        )  # fmt: skip
        pages += [tasks, due, context["raised"], context["received"], context["given"]]
    bad = any(page.error for page in pages)
    return render(request, "feedback/my_work.html", context, status=400 if bad else 200)


def _newest_first(request: OrgRequest, name: str, label: str, rows: QuerySet[Any]) -> ListPage[Any]:
    """A section of my work, newest first, paged in place with its own `<name>_cursor`."""
    return keyset_page(
        rows,
        selectors.NEWEST_FIRST,
        params=Params(request, prefix=f"{name}_"),
        label=f"Pages of {label}",
        size=selectors.MY_WORK_PAGE_SIZE,
        target=f"my-{name}",
        swap="main",
        texts=("Newer", "Older"),
    )


@org_page(Resource.CHECK_IN, Action.CREATE)
def check_in_create(request: OrgRequest) -> HttpResponse:
    """Check in on the key result, initiative or objective of the query string (or one chosen here)."""
    target_name, target = next(
        (
            (name, row)
            for name, model in CHECK_IN_TARGETS.items()
            if (row := _linked_row(request, name, model))
        ),
        ("", None),
    )
    initial: dict[str, Any] = {"author": request.org.person}
    if target is not None:
        initial[target_name] = target
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        org=request.org,
        initial=initial,
        target_given=target is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = _without_empty_person(form.service_data(), "author")
        check_in = form.submit(lambda: services.check_in_create(actor=request.org.membership, data=data))
        if check_in is not None:
            messages.success(request, "Check-in saved.")
            if check_in.key_result is not None:
                default = _url(request, "objective_detail", pk=check_in.key_result.objective_id)
            elif check_in.initiative_id is not None:
                default = _url(request, "initiative_detail", pk=check_in.initiative_id)
            else:
                default = _url(request, "objective_detail", pk=check_in.objective_id)
            return redirect(safe_next(request) or default)
    numbers = {}
    if isinstance(target, KeyResult):
        values = {"start": target.start_value, "target": target.target_value, "current": target.current_value}
        numbers = {name: _plain(value) for name, value in values.items()}
    return render(
        request,
        "feedback/check_in_form.html",
        {"form": form, "target": target, "target_name": target_name, "numbers": numbers},
        status=400 if form.errors else 200,  # a picker's Find (no JavaScript) is not an error
    )


def feedback_filters_read(request: OrgRequest) -> tuple[FeedbackFilterForm, selectors.FeedbackFilters]:
    """The feedback list's filters (status, kind, team, search) as the request gives them, with their
    form: an unknown value is dropped (cleaned_data keeps only the valid filters)."""
    filter_form = FeedbackFilterForm(request.GET, org=request.org)
    filter_form.is_valid()
    chosen = filter_form.cleaned_data
    filters = selectors.FeedbackFilters(
        status=chosen.get("status") or "",
        kind=chosen.get("kind") or "",
        team=chosen.get("team"),
        search=search_term(request),
    )
    return filter_form, filters


@org_page(Resource.FEEDBACK, Action.VIEW)
def feedback_list(request: OrgRequest) -> HttpResponse:
    """The organization's feedback, unanswered blockers first, filtered by status, kind and team and
    searched by its text: a keyset page at a time (a damaged page link answers 400, first page)."""
    filter_form, filters = feedback_filters_read(request)
    params = Params(request)
    page = keyset_page(
        selectors.feedback_list(organization=request.org.organization, filters=filters),
        selectors.FEEDBACK_ORDER,
        params=params,
        label="Pages of feedback",
        size=FEEDBACK_PAGE_SIZE,
    )
    return render(
        request,
        "feedback/feedback_list.html",
        {
            "filter_form": filter_form,
            "search": search_box(params=params, label="Text contains"),
            "page": page,
            "filtered": any((filters.status, filters.kind, filters.team, filters.search)),
            "can_raise": request.org.can(Resource.FEEDBACK, Action.CREATE),
        },
        status=400 if page.error else 200,
    )


@org_page(Resource.FEEDBACK, Action.CREATE)
def feedback_create(request: OrgRequest) -> HttpResponse:
    """Raise feedback; `?kind=blocker` preselects the kind, `?objective=`/`?initiative=` its subject."""
    initial: dict[str, Any] = {"author": request.org.person}
    if request.GET.get("kind") in FeedbackKind.values:
        initial["kind"] = request.GET["kind"]
    for name, model in (("objective", Objective), ("initiative", Initiative)):
        row = _linked_row(request, name, model)
        if row is not None:
            initial[name] = row
    form = FeedbackForm(request.POST if request.method == "POST" else None, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _without_empty_person(form.service_data(), "author")
        item = form.submit(lambda: services.feedback_create(actor=request.org.membership, data=data))
        if item is not None:
            messages.success(request, f"{item.get_kind_display()} raised: the lead of its team answers it.")
            return redirect(safe_next(request) or _url(request, "feedback_detail", pk=item.pk))
    return render(
        request,
        "feedback/feedback_form.html",
        {"form": form, "blocker": form["kind"].value() == FeedbackKind.BLOCKER},
        status=400 if form.errors else 200,  # a picker's Find (no JavaScript) is not an error
    )


@org_page(Resource.FEEDBACK, Action.VIEW)
def feedback_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """One feedback item, its answers, and the lead's actions for those who may answer it."""
    item = get_object_or_404(selectors.feedback_item(organization=request.org.organization, pk=pk))
    return _render_item(request, item, form=None)


def _answer_view(action: str, answer: Callable[..., FeedbackItem], done: str) -> Callable[..., HttpResponse]:
    """A POST-only view that acknowledges, responds to or resolves one feedback item."""

    @org_page(Resource.FEEDBACK, Action.ANSWER)
    @require_POST
    def view(request: OrgRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(selectors.feedback_item(organization=request.org.organization, pk=pk))
        request.org.require(Resource.FEEDBACK, Action.ANSWER, item)  # a lead answers their team's only
        form = FeedbackAnswerForm(request.POST, org=request.org, required=action == "respond")
        seen = latest_snapshot_id(request.org.organization)
        answered = None
        if form.is_valid():
            answered = form.submit(
                lambda: answer(
                    actor=request.org.membership,
                    item=item,
                    response=form.cleaned_data["response"],
                    expected_version=form.cleaned_data["expected_version"],
                )
            )
        if answered is None:
            return _render_item(request, item, form=form, action=action, status=400)
        if not request.htmx:
            messages.success(request, done)
            return redirect(_url(request, "feedback_detail", pk=item.pk))
        fresh = get_object_or_404(selectors.feedback_item(organization=request.org.organization, pk=pk))
        response = _render_item(request, fresh, form=None, notice=done)
        return with_scores_status(request, response, seen=seen)

    view.__name__ = view.__qualname__ = f"feedback_{action}"
    return view


feedback_acknowledge = _answer_view("acknowledge", services.feedback_acknowledge, "Feedback acknowledged.")
feedback_respond = _answer_view("respond", services.feedback_respond, "Response saved.")
feedback_resolve = _answer_view("resolve", services.feedback_resolve, "Feedback resolved.")


def _render_item(
    request: OrgRequest,
    item: FeedbackItem,
    *,
    form: FeedbackAnswerForm | None,
    action: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    """The item's page, or (to htmx) only the item's fragment, with the answer form when allowed.

    A refused answer keeps what was typed (`form`) beside its errors.
    """
    can_answer = request.org.can(Resource.FEEDBACK, Action.ANSWER, item)
    if can_answer and form is None:
        form = FeedbackAnswerForm(org=request.org, initial={"expected_version": item.version})
    context = {
        "item": item,
        "answer_form": form if can_answer else None,
        "failed_action": action,
        "notice": notice,
        "can_acknowledge": item.status == FeedbackStatus.OPEN,
        "can_resolve": item.status != FeedbackStatus.RESOLVED,
    }
    template = "feedback/partials/feedback_item.html" if request.htmx else "feedback/feedback_detail.html"
    return render(request, template, context, status=status)


@org_page(Resource.RECOGNITION, Action.CREATE)
def recognition_create(request: OrgRequest) -> HttpResponse:
    """Recognize a colleague (`?to=<person id>` preselects them)."""
    initial: dict[str, Any] = {"from_person": request.org.person}
    for name, model in (("objective", Objective), ("initiative", Initiative)):
        row = _linked_row(request, name, model)
        if row is not None:
            initial[name] = row
    if request.GET.get("to", "").isdigit():
        initial["to_person"] = int(request.GET["to"])
    form = RecognitionForm(
        request.POST if request.method == "POST" else None, org=request.org, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = _without_empty_person(form.service_data(), "from_person")
        recognition = form.submit(
            lambda: services.recognition_create(actor=request.org.membership, data=data)
        )
        if recognition is not None:
            messages.success(request, f"You recognized {recognition.to_person.name}.")
            return redirect(safe_next(request) or _url(request, "my_work"))
    return render(
        request,
        "feedback/recognition_form.html",
        {"form": form},
        status=400 if form.errors else 200,  # a picker's Find (no JavaScript) is not an error
    )


def _plain(value: Decimal) -> str:
    """A stored decimal without its trailing zeros and never in exponent form (100.0000 → "100")."""
    return f"{value.normalize():f}"


def _without_empty_person(data: dict[str, Any], field: str) -> dict[str, Any]:
    """Leave an unchosen person out: the service then writes the row as the member's own person."""
    return {name: value for name, value in data.items() if not (name == field and value is None)}
