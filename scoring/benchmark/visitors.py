"""Who visits the pages the benchmark measures, and which rows the pages are about.

Three members are made for the benchmark in the generated organization: an executive (the person
with the most tasks assigned, so that "my work" has work on it), a lead (the lead of the team with
the most people: the largest workspace and import pages) and an admin (the settings pages). Each
gets a signed-in session (made with Django's test client, stored where the server reads sessions)
and an API token, revoked when the block ends. The ids filled into the pages' routes
are the heaviest rows of their kind where it matters (the team with the most people, the objective
with the most initiatives, the initiative with the most tasks) and rows of those elsewhere; a task
import job (a small dry run, finished), an invitation, a scenario, an alert rule and an alert (where the
organization has none) and a webhook endpoint with a delivery are made for the pages that show one.

Rows are written straight through the ORM: this is a throwaway organization, and nothing here
changes what the scores measure (no plan row is touched but the people's sign-in links).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Model, QuerySet
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation
from alerts.models import Alert, AlertRule, AlertState, SubjectKind
from alerts.services import alert_rules_create_defaults
from execgap.models import Job, Membership, Organization, Role
from execgap.tokens import token_create, token_revoke
from feedback.models import FeedbackItem
from objectives.imports.benchmark import jira_export_generate
from objectives.imports.options import import_options
from objectives.imports.rows import read_jira_csv
from objectives.imports.tasks import tasks_import_job_request, tasks_import_task
from objectives.models import KeyResult, Objective, Task
from resources.models import Allocation, Person, Team
from scenarios.evaluate import scenario_evaluate
from scenarios.models import ChangeKind
from scenarios.services import change_add, scenario_create
from webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint

IMPORT_ROWS = 20  # a small dry run: the job page shows its report


@dataclass
class Visitors:
    """The organization's slug, a session and an API token per role, the ids by kind."""

    slug: str
    users: dict[Role, User] = field(default_factory=dict)
    sessions: dict[Role, str] = field(default_factory=dict)  # the session cookie's value
    tokens: dict[Role, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def headers(self, role: Role, *, api: bool) -> dict[str, str]:
        """What a request of `role` carries: its API token, or its session's cookie."""
        if api:
            return {"Authorization": f"Token {self.tokens[role]}"}
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={self.sessions[role]}"}


@contextmanager
def visitors_prepare(organization_id: int) -> Iterator[Visitors]:
    """Make the members, their sessions and token, and the rows the pages need (see the module)."""
    organization = Organization.objects.get(pk=organization_id)
    visitors = Visitors(slug=organization.slug)
    team = _most(Team.objects.for_org(organization_id), "people")
    lead_person = _lead_of(team, organization_id)
    busiest = (
        Task.objects.for_org(organization_id)
        .filter(assignee__isnull=False)
        .values("assignee")
        .annotate(n=Count("id"))
        .order_by("-n", "assignee")
        .values_list("assignee", flat=True)
        .first()
    )
    people = {Role.LEAD: lead_person, Role.EXECUTIVE: busiest if busiest != lead_person else None}
    for role in (Role.EXECUTIVE, Role.LEAD, Role.ADMIN):
        user, membership = _member(organization_id, role)
        visitors.users[role] = user
        person = people.get(role)
        if person is not None:
            Person.objects.for_org(organization_id).filter(pk=person).update(user=user)
        client = Client()
        client.force_login(user)
        visitors.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        if role == Role.LEAD:
            visitors.ids["membership"] = membership.pk
    visitors.ids.update(_rows(organization_id, team=team, lead_person=lead_person))
    lead = Membership.objects.select_related("organization", "user").get(pk=visitors.ids["membership"])
    visitors.ids["job"] = _import_job(lead, team=team)
    visitors.ids["invitation"] = _invitation(organization_id, visitors.users[Role.ADMIN]).pk
    executive = Membership.objects.select_related("organization", "user").get(
        organization_id=organization_id, user=visitors.users[Role.EXECUTIVE]
    )
    visitors.ids["scenario"], visitors.ids["change"] = _scenario(
        executive, objective=visitors.ids["objective"]
    )
    visitors.ids.update(_outreach(organization_id, admin=visitors.users[Role.ADMIN]))
    keys = {}
    for role, user in visitors.users.items():
        created = token_create(user=user, name="benchmark: pages and API")
        visitors.tokens[role], keys[role] = created.token, created.instance.token_key
    try:
        yield visitors
    finally:
        for role, key in keys.items():
            token_revoke(user=visitors.users[role], token_key=key)


def _member(organization_id: int, role: Role) -> tuple[User, Membership]:
    user, _ = User.objects.get_or_create(username=f"benchmark-{role}-{organization_id}")
    membership, _ = Membership.objects.update_or_create(
        organization_id=organization_id, user=user, defaults={"role": role}
    )
    return user, membership


def _most(rows: QuerySet[Model], related: str) -> int:
    """The id of the row with the most `related` rows (the lowest id among equals)."""
    found = rows.annotate(n=Count(related)).order_by("-n", "pk").values_list("pk", flat=True).first()
    if found is None:
        raise LookupError(f"The organization has no {rows.model._meta.verbose_name_plural}.")
    return int(found)


def _lead_of(team: int, organization_id: int) -> int:
    """The team's lead (a person); when it has none, its first member is made its lead."""
    lead = Team.objects.for_org(organization_id).filter(pk=team).values_list("lead", flat=True).get()
    if lead is None:
        lead = (
            Person.objects.for_org(organization_id)
            .filter(team=team)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        Team.objects.for_org(organization_id).filter(pk=team).update(lead=lead)
    if lead is None:
        raise LookupError(f"Team {team} has no people to lead it.")
    return int(lead)


def _rows(organization_id: int, *, team: int, lead_person: int) -> dict[str, int]:
    objective = _most(Objective.objects.for_org(organization_id), "initiatives")
    initiative = int(
        Task.objects.for_org(organization_id)
        .filter(initiative__isnull=False)
        .values("initiative")
        .annotate(n=Count("id"))
        .order_by("-n", "initiative")
        .values_list("initiative", flat=True)[0]
    )
    return {
        "team": team,
        "person": lead_person,
        "objective": objective,
        "initiative": initiative,
        "key_result": _first(KeyResult.objects.for_org(organization_id), objective=objective),
        "task": _first(Task.objects.for_org(organization_id), initiative=initiative),
        "allocation": _first(Allocation.objects.for_org(organization_id), initiative=initiative),
        "feedback": _first(FeedbackItem.objects.for_org(organization_id), objective=objective),
    }


def _first(rows: QuerySet[Model], **preferred: int) -> int:
    """The first row (by id) matching `preferred`, else the first row at all."""
    found = rows.filter(**preferred).order_by("pk").values_list("pk", flat=True).first()
    if found is None:
        found = rows.order_by("pk").values_list("pk", flat=True).first()
    if found is None:
        raise LookupError(f"The organization has no {rows.model._meta.verbose_name_plural}.")
    return int(found)


def _import_job(lead: Membership, *, team: int) -> int:
    """A finished dry run of a small Jira export into the team, as the lead asks for one."""
    rows = read_jira_csv(jira_export_generate(organization_id=lead.organization_id, rows=IMPORT_ROWS))
    job = tasks_import_job_request(actor=lead, rows=rows, dry_run=True, options=import_options(team=team))
    tasks_import_task(job.pk)  # here and now (its queued message, if any, finds it ended)
    return Job.objects.filter(pk=job.pk).values_list("pk", flat=True).get()


def _scenario(executive: Membership, *, objective: int) -> tuple[int, int]:
    """An evaluated scenario (the busiest objective's priority weight doubled), as an executive drafts
    one: its page shows a whole evaluation. (scenario id, its change's id)."""
    scenario = scenario_create(actor=executive, data={"name": "Benchmark: double a priority"})
    doubled = {
        "kind": ChangeKind.OBJECTIVE_CHANGE,
        "target_id": objective,
        "values": {"priority_weight": "2"},
    }
    change = change_add(actor=executive, scenario=scenario, data=doubled)
    scenario_evaluate(scenario=scenario)
    return scenario.pk, change.pk


def _outreach(organization_id: int, *, admin: User) -> dict[str, int]:
    """An alert rule (the defaults, when the organization has none), an alert (the newest, or one
    opened here), and a webhook endpoint at a public address with one delivery logged."""
    organization = Organization.objects.get(pk=organization_id)
    rules = AlertRule.objects.for_org(organization_id)
    if not rules.exists():
        alert_rules_create_defaults(organization, admin)
    rule = rules.order_by("pk").first()
    assert rule is not None
    alert = Alert.objects.for_org(organization_id).order_by("-pk").first() or Alert.objects.create(
        organization=organization, rule=rule, rule_kind=rule.kind, rule_name=rule.name,
        subject_kind=SubjectKind.ORGANIZATION, subject_id=organization_id, subject_title=organization.name,
        state=AlertState.OPEN, opened_at=timezone.now(), opened_snapshot_id=0,
        message="Opened by the benchmark, for its page",
    )  # fmt: skip
    endpoint = WebhookEndpoint.objects.create(
        organization=organization, url="https://hooks.example.com/execgap/benchmark",
        description="Benchmark", kinds=["alert.opened"], secret=f"whsec_{secrets.token_hex(16)}",
        created_by=admin,
    )  # fmt: skip
    delivery = WebhookDelivery.objects.create(
        organization=organization, endpoint=endpoint, event_id=secrets.token_hex(16), kind="alert.opened",
        payload={"kind": "alert.opened"}, state=DeliveryState.SUCCEEDED, attempts=1, last_status_code=200,
    )  # fmt: skip
    return {"alert_rule": rule.pk, "alert": alert.pk, "webhook": endpoint.pk, "delivery": delivery.pk}


def _invitation(organization_id: int, admin: User) -> Invitation:
    return Invitation.objects.create(
        organization_id=organization_id,
        email=f"invited-{organization_id}@example.com",
        role=Role.MEMBER,
        token_digest=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
