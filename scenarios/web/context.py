"""What the editor page of one scenario shows, read once for the page and its error answers.

The page reads the scenario, its changes (in words: one query per kind of row they name), the rows
they read whose version moved since (conflicts), the evaluation kept on it and, once applied, the
first snapshot of the scores computed after: a bounded number of queries, whatever the number of
changes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from execgap.models import Job, JobKind, JobState
from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest
from scenarios.compare import SCORE_NAMES, SCORES
from scenarios.models import ChangeKind, Scenario, ScenarioStatus
from scenarios.services import Conflict, scenario_conflicts
from scenarios.web.charts import points
from scenarios.web.evaluation import evaluation_view, out_of_date
from scenarios.web.forms import CHANGE_FORMS, KINDS, ApplyForm, ChangeForm, ScenarioForm
from scenarios.web.search import today
from scenarios.web.words import change_lines
from scoring.models import ScoreSnapshot

DEFAULT_KIND = ChangeKind.HOURS_MOVE.value


def may_edit(request: OrgRequest, scenario: Scenario) -> bool:
    return scenario.status == ScenarioStatus.DRAFT and request.org.can(Resource.SCENARIO, Action.CHANGE)


def org_url(request: OrgRequest, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": request.org.organization.slug, **kwargs})


def change_form_for(request: OrgRequest, kind: str, data: Any = None) -> ChangeForm:
    return CHANGE_FORMS[kind](data, org=request.org, prefix="change")


def job_of(request: OrgRequest, scenario: Scenario, raw: str | None) -> Job | None:
    """The evaluation job `?job=` names, when it is this scenario's."""
    if not raw or not raw.isdigit() or len(raw) > 18:
        return None
    return (
        Job.objects.for_org(request.org.organization)
        .filter(kind=JobKind.SCENARIO_EVALUATION, pk=int(raw), parameters__scenario=scenario.pk)
        .first()
    )


def evaluation_context(request: OrgRequest, scenario: Scenario, job: Job | None = None) -> dict[str, Any]:
    """The evaluation section: the job while it runs, then the evaluation, and whether it is current."""
    running = job is not None and job.state in (JobState.QUEUED, JobState.RUNNING)
    evaluation = scenario.evaluation if not running else None
    return {
        "scenario": scenario,
        "job": job,
        "running": running,
        "failed": job is not None and job.state == JobState.FAILED,
        "evaluation": evaluation_view(evaluation, ident=f"s{scenario.pk}") if evaluation else None,
        "out_of_date": out_of_date(scenario, request.org.organization, today())
        if scenario.status == ScenarioStatus.DRAFT
        else [],
        "can_edit": may_edit(request, scenario),
    }


def _after_applied(request: OrgRequest, scenario: Scenario) -> dict[str, Any] | None:
    """The first snapshot of the scores computed after the scenario was applied, beside its prediction."""
    if scenario.applied_at is None:
        return None
    snapshot = (
        ScoreSnapshot.objects.for_org(request.org.organization)
        .filter(computed_at__gte=scenario.applied_at)
        .order_by("computed_at", "id")
        .first()
    )
    predicted = (scenario.evaluation or {}).get("scores") or {}
    day = scenario.applied_at.date().isoformat()
    history = org_url(request, "plan_history") + f"?since={day}&until={day}"
    if scenario.applied_by_id is not None:
        history += f"&changed_by={scenario.applied_by_id}"
    rows = [
        {
            "label": SCORE_NAMES[name],
            "predicted": points((predicted.get(name) or {}).get("scenario")) if predicted else "—",
            "actual": points(getattr(snapshot, name)) if snapshot is not None else "—",
        }
        for name in SCORES
    ]
    return {"snapshot": snapshot, "rows": rows, "history_url": history}


def editor_context(
    request: OrgRequest,
    scenario: Scenario,
    *,
    kind: str | None = None,
    change_form: ChangeForm | None = None,
    name_form: ScenarioForm | None = None,
    apply_form: forms.Form | None = None,
    conflicts: list[Conflict] | None = None,
    job: Job | None = None,
) -> dict[str, Any]:
    editable = may_edit(request, scenario)
    changes = list(scenario.changes.order_by("position", "pk"))
    context: dict[str, Any] = {
        "scenario": scenario,
        "can_edit": editable,
        "lines": change_lines(scenario.organization_id, changes),
        "after_applied": _after_applied(request, scenario),
        **evaluation_context(request, scenario, job),
    }
    if editable:
        kind = (
            change_form.kind.value
            if change_form is not None
            else kind
            if kind in CHANGE_FORMS
            else DEFAULT_KIND
        )
        context |= {
            "kinds": KINDS,
            "change_form": change_form or change_form_for(request, kind),
            "name_form": name_form or ScenarioForm(instance=scenario, org=request.org),
            "apply_form": apply_form or ApplyForm(prefix="apply"),
            "conflicts": conflicts if conflicts is not None else scenario_conflicts(scenario=scenario),
        }
    return context
