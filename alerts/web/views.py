"""Pages of alerts (`/o/<slug>/alerts/`) and of alert rules (`/o/<slug>/settings/alert-rules/`).

Thin views: `alerts.web.selectors` reads, `alerts.services` writes (with the rule table's checks:
everyone reads; a lead writes their teams' rules, executives and admins every rule).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from alerts import services
from alerts.models import KIND_FIELDS, AlertRule, RuleKind
from alerts.web import selectors
from alerts.web.forms import AlertFilterForm, AlertRuleForm, DeleteForm
from execgap.roles import Action, Resource
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import ListPage, Params, keyset_page, numbered_page, search_box, search_term

ALERTS_PAGE_SIZE = 50
RULES_PAGE_SIZE = 50


def _url(request: OrgRequest, name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org_slug": request.org.organization.slug, **kwargs})


def alert_filters_read(request: OrgRequest) -> tuple[AlertFilterForm, selectors.AlertFilters]:
    """The alerts list's filters as the request gives them (an unknown value is dropped)."""
    filter_form = AlertFilterForm(request.GET, org=request.org)
    filter_form.is_valid()
    chosen = filter_form.cleaned_data
    filters = selectors.AlertFilters(
        state=chosen.get("state") or "",
        kind=chosen.get("kind") or "",
        team=chosen.get("team"),
        search=search_term(request),
    )
    return filter_form, filters


@org_page(Resource.ALERT_RULE, Action.VIEW)
def alert_list(request: OrgRequest) -> HttpResponse:
    """The organization's alerts, open first, filtered by state, kind and team and searched by subject."""
    filter_form, filters = alert_filters_read(request)
    params = Params(request)
    page = keyset_page(
        selectors.alerts_list(organization=request.org.organization, filters=filters),
        selectors.ALERTS_ORDER,
        params=params,
        label="Pages of alerts",
        size=ALERTS_PAGE_SIZE,
    )
    slug = request.org.organization.slug
    rows = [(alert, selectors.subject_url(alert, slug)) for alert in page.rows]
    return render(
        request,
        "alerts/alert_list.html",
        {
            "filter_form": filter_form,
            "search": search_box(params=params, label="Subject contains"),
            "page": page,
            "rows": rows,
            "filtered": any((filters.state, filters.kind, filters.team, filters.search)),
            "any_rule": AlertRule.objects.for_org(request.org.organization).exists(),
        },
        status=400 if page.error else 200,
    )


@org_page(Resource.ALERT_RULE, Action.VIEW)
def alert_detail(request: OrgRequest, pk: int) -> HttpResponse:
    """One alert: what it says, its subject, when it opened and resolved at what values, and the
    earlier alerts of its rule on the same subject."""
    alert = get_object_or_404(
        selectors.alerts_list(organization=request.org.organization, filters=selectors.AlertFilters()), pk=pk
    )
    history = list(selectors.alert_history(alert)[:20])
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "subject_url": selectors.subject_url(alert, request.org.organization.slug),
            "history": [row for row in history if row.pk != alert.pk],
        },
    )


@org_page(Resource.ALERT_RULE, Action.VIEW)
def rule_list(request: OrgRequest) -> HttpResponse:
    """The organization's alert rules, a page at a time, with the actions the member may take."""
    page: ListPage[AlertRule] = numbered_page(
        selectors.rules_list(organization=request.org.organization),
        params=Params(request),
        label="Pages of alert rules",
        size=RULES_PAGE_SIZE,
    )
    rows = [(rule, request.org.can(Resource.ALERT_RULE, Action.CHANGE, rule)) for rule in page.rows]
    return render(
        request,
        "alerts/rule_list.html",
        {"page": page, "rows": rows, "can_create": request.org.can(Resource.ALERT_RULE, Action.CREATE)},
    )


@org_page(Resource.ALERT_RULE, Action.CREATE)
def rule_create(request: OrgRequest) -> HttpResponse:
    """Choose a kind (`?kind=`), then fill in the parameters it needs."""
    kind = request.GET.get("kind", "")
    if kind not in KIND_FIELDS:
        return render(request, "alerts/rule_kinds.html", {"kinds": RuleKind.choices})
    form = AlertRuleForm(request.POST if request.method == "POST" else None, org=request.org, kind=kind)
    if request.method == "POST" and form.is_valid():
        rule = form.submit(
            lambda: services.alert_rule_create(actor=request.org.membership, data=form.service_data())
        )
        if rule is not None:
            messages.success(request, f"Alert rule “{rule.name}” added: it is checked after every recompute.")
            return redirect(_url(request, "settings_alert_rules"))
    return _render_form(request, form, status=400 if form.errors else 200)


@org_page(Resource.ALERT_RULE, Action.CHANGE)
def rule_edit(request: OrgRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(AlertRule.objects.for_org(request.org.organization), pk=pk)
    request.org.require(Resource.ALERT_RULE, Action.CHANGE, rule)  # a lead edits their teams' rules only
    form = AlertRuleForm(
        request.POST if request.method == "POST" else None, org=request.org, kind=rule.kind, instance=rule
    )
    if request.method == "POST" and form.is_valid():
        saved = form.submit(
            lambda: services.alert_rule_update(
                actor=request.org.membership,
                rule=rule,
                data=form.service_data(),
                expected_version=form.version,
            )
        )
        if saved is not None:
            messages.success(request, f"Alert rule “{saved.name}” saved.")
            return redirect(_url(request, "settings_alert_rules"))
    return _render_form(request, form, status=400 if form.errors else 200)


def _render_form(request: OrgRequest, form: AlertRuleForm, *, status: int) -> HttpResponse:
    return render(
        request,
        "alerts/rule_form.html",
        {"form": form, "kind_label": RuleKind(form.kind).label},
        status=status,
    )


@org_page(Resource.ALERT_RULE, Action.DELETE)
def rule_delete(request: OrgRequest, pk: int) -> HttpResponse:
    """Confirm, then delete: its open alerts resolve; its alerts' history stays."""
    rule = get_object_or_404(AlertRule.objects.for_org(request.org.organization), pk=pk)
    request.org.require(Resource.ALERT_RULE, Action.DELETE, rule)
    form = DeleteForm(
        request.POST if request.method == "POST" else None,
        org=request.org,
        initial={"expected_version": rule.version},
    )
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["expected_version"]

        def delete() -> bool:
            services.alert_rule_delete(actor=request.org.membership, rule=rule, expected_version=version)
            return True

        if form.submit(delete):
            messages.success(request, f"Alert rule “{rule.name}” deleted.")
            return redirect(_url(request, "settings_alert_rules"))
    open_alerts = rule.alerts.filter(state="open").count()
    return render(
        request,
        "alerts/rule_delete.html",
        {"form": form, "rule": rule, "open_alerts": open_alerts},
        status=400 if form.errors else 200,
    )
