"""An organization with a few rows of every kind the API serves, for the tests that walk the whole schema.

`rows_of_every_kind(organization)` builds, straight into the database (factories), teams, people,
objectives (a root and a child), key results, initiatives, tasks, allocations, check-ins, feedback,
recognitions, memberships, jobs and a computed score snapshot, and returns their ids by the path
segment that serves them (`"key-results"`, `"check-ins"`, ...). `fingerprint(organization)` is
everything stored about an organization, to show that a request changed nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Model
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from alerts.models import Alert, AlertRule, AlertState, RuleKind, ScoreChoice, SubjectKind
from execgap.models import Job, JobKind, JobState, Membership, Organization, Role
from feedback.models import CheckIn, FeedbackItem, FeedbackKind, FeedbackStatus, Recognition
from notifications.models import Notification, NotificationKind, NotificationPreference
from objectives.models import Initiative, InitiativeStatus, KeyResult, Objective, Task, TaskStatus
from resources.models import Allocation, Person, Team
from scenarios.models import ChangeKind, Scenario, ScenarioChange
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
    TaskFactory,
    TeamFactory,
)
from webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint

# The collections under /api/v1/orgs/{org}/ whose rows are addressed by `{id}`.
ROW_COLLECTIONS = (
    "teams",
    "people",
    "objectives",
    "key-results",
    "initiatives",
    "tasks",
    "allocations",
    "check-ins",
    "feedback",
    "recognitions",
    "memberships",
    "jobs",
    "scenarios",
    "scenario-changes",
    "alert-rules",
    "alerts",
    "notifications",
    "webhooks",
    "webhook-deliveries",
)


@dataclass
class OrganizationRows:
    """The organization, its admin (with a person record) and the ids of its rows by collection."""

    organization: Organization
    admin: Membership
    ids: dict[str, list[int]] = field(default_factory=dict)

    def first(self, collection: str) -> int:
        return self.ids[collection][0]


def rows_of_every_kind(organization: Organization, *, prefix: str = "") -> OrganizationRows:
    """A small, complete organization: two of most things, linked to each other as in real use.

    `prefix` starts every title and name, so two organizations' rows can be told apart in a failure.
    """
    today = timezone.localdate()
    admin = MembershipFactory(organization=organization, role=Role.ADMIN)
    lead = MembershipFactory(organization=organization, role=Role.LEAD)
    member = MembershipFactory(organization=organization, role=Role.MEMBER)

    growth = TeamFactory(organization=organization, name=f"{prefix}Growth")
    platform = TeamFactory(organization=organization, name=f"{prefix}Platform", parent=growth)
    admin_person = PersonFactory(
        organization=organization, user=admin.user, name=f"{prefix}Ada Admin", team=growth
    )
    lead_person = PersonFactory(
        organization=organization, user=lead.user, name=f"{prefix}Lee Lead", team=growth
    )
    member_person = PersonFactory(
        organization=organization, user=member.user, name=f"{prefix}Mo Member", team=platform
    )
    growth.lead = lead_person
    growth.save(update_fields=["lead"])

    root = ObjectiveFactory(
        organization=organization, title=f"{prefix}Grow revenue", team=growth, owner=lead_person,
        start_date=today - timedelta(days=30), end_date=today + timedelta(days=60),
    )  # fmt: skip
    child = ObjectiveFactory(
        organization=organization, title=f"{prefix}Self-serve sign-up", parent=root, team=platform,
        owner=member_person, priority_weight=Decimal(2),
    )  # fmt: skip
    results = [
        KeyResultFactory(organization=organization, objective=root, title=f"{prefix}ARR", unit="EUR"),
        KeyResultFactory(organization=organization, objective=child, title=f"{prefix}Sign-ups", unit="users"),
    ]
    initiatives = [
        InitiativeFactory(
            organization=organization, title=f"{prefix}Pricing page", objective=child, team=platform,
            owner=member_person, status=InitiativeStatus.ACTIVE, estimate_hours=Decimal(80),
            start_date=today - timedelta(days=10), end_date=today + timedelta(days=40),
        ),
        InitiativeFactory(
            organization=organization, title=f"{prefix}Partner program", objective=root, team=growth,
        ),
    ]  # fmt: skip
    tasks = [
        TaskFactory(
            organization=organization, title=f"{prefix}Draft pricing copy", initiative=initiatives[0],
            team=platform, assignee=member_person, status=TaskStatus.IN_PROGRESS, effort_hours=Decimal(6),
            external_key=f"{prefix}WEB-1",
        ),
        TaskFactory(
            organization=organization, title=f"{prefix}Call partners", objective=root, team=growth,
            assignee=lead_person, status=TaskStatus.DONE, effort_hours=Decimal(3),
            completed_at=timezone.now() - timedelta(days=2),
        ),
        TaskFactory(organization=organization, title=f"{prefix}Fix the office printer", team=growth),
    ]  # fmt: skip
    allocations = [
        AllocationFactory(
            organization=organization, person=member_person, initiative=initiatives[0],
            hours_per_week=Decimal(20), start_date=today - timedelta(days=10),
        ),
        AllocationFactory(organization=organization, person=lead_person, initiative=initiatives[1]),
    ]  # fmt: skip
    check_ins = [
        CheckInFactory(organization=organization, objective=root, author=lead_person, value=Decimal(40)),
        CheckInFactory(
            organization=organization, key_result=results[1], author=member_person, note="On track"
        ),
    ]
    feedback = [
        FeedbackItemFactory(
            organization=organization, kind=FeedbackKind.BLOCKER, initiative=initiatives[0],
            author=member_person, text=f"{prefix}Waiting for legal",
        ),
        FeedbackItemFactory(
            organization=organization, kind=FeedbackKind.IDEA, objective=root, author=lead_person,
            text=f"{prefix}Annual plans", status=FeedbackStatus.ACKNOWLEDGED,
            acknowledged_at=timezone.now(), response="Worth a try",
        ),
    ]  # fmt: skip
    recognitions = [
        RecognitionFactory(
            organization=organization, from_person=lead_person, to_person=member_person, objective=child,
            message=f"{prefix}Great launch",
        ),
        RecognitionFactory(organization=organization, from_person=member_person, to_person=admin_person),
    ]  # fmt: skip
    snapshot = scores_recompute(organization_id=organization.pk, as_of=today)
    jobs = [
        Job.objects.create(
            organization=organization, kind=JobKind.RECOMPUTE, state=JobState.SUCCEEDED,
            created_by=admin.user, parameters={"as_of": today.isoformat()}, done=1, total=1,
            result={"snapshot": snapshot.pk, "as_of": today.isoformat()},
            started_at=timezone.now(), finished_at=timezone.now(),
        ),
        Job.objects.create(
            organization=organization, kind=JobKind.TASK_IMPORT, state=JobState.QUEUED,
            created_by=lead.user, parameters={"format": "json"},
        ),
    ]  # fmt: skip
    scenarios = [
        Scenario.objects.create(
            organization=organization, name=f"{prefix}Staff pricing", created_by=lead.user
        ),
        Scenario.objects.create(
            organization=organization, name=f"{prefix}Pause partners", created_by=admin.user
        ),
    ]
    scenario_changes = [
        ScenarioChange.objects.create(
            organization=organization, scenario=scenarios[0], position=position,
            kind=ChangeKind.ALLOCATION_CHANGE,
            target_id=allocations[0].pk, values={"hours_per_week": hours},
            base_versions={f"allocation:{allocations[0].pk}": 1},
        )
        for position, hours in ((1, "25"), (2, "30"))
    ]  # fmt: skip
    alert_rules = [
        AlertRule.objects.create(
            organization=organization, name=f"{prefix}Health below 50", kind=RuleKind.SCORE_BELOW,
            score=ScoreChoice.EXECUTION_HEALTH, threshold=50.0,
        ),
        AlertRule.objects.create(
            organization=organization, name=f"{prefix}Platform late", kind=RuleKind.FORECAST_LATE,
            team=platform,
        ),
    ]  # fmt: skip
    alerts = [
        Alert.objects.create(
            organization=organization, rule=alert_rules[index], rule_kind=alert_rules[index].kind,
            rule_name=alert_rules[index].name, subject_kind=kind, subject_id=subject_id, subject_title=title,
            subject_team_id=team_id, state=state, opened_at=timezone.now() - timedelta(days=3 - index),
            resolved_at=timezone.now() if state == AlertState.RESOLVED else None,
            opened_snapshot_id=snapshot.pk, message=f"{prefix}{title} crossed the line",
        )
        for index, (kind, subject_id, title, team_id, state) in enumerate(
            (
                (SubjectKind.ORGANIZATION, organization.pk, "Organization", None, AlertState.RESOLVED),
                (SubjectKind.INITIATIVE, initiatives[0].pk, initiatives[0].title, platform.pk, "open"),
            )
        )
    ]  # fmt: skip
    notifications = [
        Notification.objects.create(
            organization=organization, recipient=admin.user, kind=NotificationKind.FEEDBACK_RAISED,
            title=f"{prefix}A blocker was raised", event_id=str(uuid.uuid4()),
            url_path=f"/o/{organization.slug}/feedback/{feedback[0].pk}/",
        ),
        Notification.objects.create(
            organization=organization, recipient=admin.user, kind=NotificationKind.RECOGNITION,
            title=f"{prefix}You were recognized", event_id=str(uuid.uuid4()), read_at=timezone.now(),
        ),
    ]  # fmt: skip
    webhooks = [
        WebhookEndpoint.objects.create(
            organization=organization, url=f"https://hooks.example.com/{slug}", description=f"{prefix}Ops",
            kinds=["alert.opened"], secret=f"whsec_{slug}", created_by=admin.user,
        )
        for slug in ("ops", "chat")
    ]  # fmt: skip
    webhook_deliveries = [
        WebhookDelivery.objects.create(
            organization=organization, endpoint=webhooks[0], event_id=str(uuid.uuid4()), kind="alert.opened",
            payload={"kind": "alert.opened"}, state=state, attempts=1, last_status_code=code,
        )
        for state, code in ((DeliveryState.SUCCEEDED, 200), (DeliveryState.FAILED, 410))
    ]  # fmt: skip
    by_collection = {
        "teams": [growth, platform],
        "people": [admin_person, lead_person, member_person],
        "objectives": [root, child],
        "key-results": results,
        "initiatives": initiatives,
        "tasks": tasks,
        "allocations": allocations,
        "check-ins": check_ins,
        "feedback": feedback,
        "recognitions": recognitions,
        "memberships": [admin, lead, member],
        "jobs": jobs,
        "scenarios": scenarios,
        "scenario-changes": scenario_changes,
        "alert-rules": alert_rules,
        "alerts": alerts,
        "notifications": notifications,
        "webhooks": webhooks,
        "webhook-deliveries": webhook_deliveries,
    }
    assert set(by_collection) == set(ROW_COLLECTIONS)
    ids = {name: [row.pk for row in rows] for name, rows in by_collection.items()}
    ids["snapshots"] = [snapshot.pk]  # read through `?snapshot=` of the score endpoints
    return OrganizationRows(organization=organization, admin=admin, ids=ids)


def fingerprint(organization: Organization) -> dict[str, Any]:
    """Every stored value of the organization and of each of its rows, to tell whether anything changed."""
    models: tuple[type[Model], ...] = (
        Team, Person, Objective, KeyResult, Initiative, Task, Allocation, CheckIn, FeedbackItem, Recognition,
        Membership, Job, ScoreSnapshot, Scenario, ScenarioChange, AlertRule, Alert, Notification,
        NotificationPreference, WebhookEndpoint, WebhookDelivery,
    )  # fmt: skip
    state: dict[str, Any] = {"organization": Organization.objects.filter(pk=organization.pk).values().get()}
    for model in models:
        state[model.__name__] = list(model.objects.filter(organization=organization).order_by("pk").values())
    return state


def unthrottled(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No rate limits, for an autouse fixture (`yield from unthrottled(monkeypatch)`): the throttles
    have their own tests (tests/api/accounts/test_throttling.py); a walk over the whole API sends
    more requests than a client may, and its answers would turn into 429s that test nothing else."""
    cache = LocMemCache(f"unthrottled-{uuid.uuid4()}", {})
    monkeypatch.setattr(SimpleRateThrottle, "cache", cache)
    no_rates = dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", no_rates)
    yield
    cache.clear()
