"""`manage.py seed_demo`: the demo organization, seeded once for this module (it takes seconds)."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from execgap.demo import DEMO_PASSWORD, DEMO_SLUG
from execgap.demo.history import HISTORY_DAYS
from execgap.models import Membership, Organization, Role
from feedback.models import CheckIn, FeedbackItem, FeedbackKind, Recognition
from objectives.models import Initiative, KeyResult, Objective, Task
from resources.models import Allocation, Person, Team
from scoring.models import ScoreSnapshot
from scoring.selectors import snapshot_history, snapshot_latest

pytestmark = pytest.mark.django_db


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The output of one `seed_demo` run, for every test of this module (seeding takes seconds).

    It runs inside a transaction that is rolled back at the end of the module, so no other test
    ever sees the demo organization (each test's own transaction nests inside this one). Passwords
    are hashed as the tests check them (conftest's fast hasher applies per test, after this).
    """
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast_hashing:
        yield _seed("--reset")  # --reset: whatever an earlier run may have left behind
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output) -> Organization:
    return Organization.objects.get(slug=DEMO_SLUG)


def _counts(org: Organization) -> dict[str, int]:
    models = (
        Team,
        Person,
        Objective,
        KeyResult,
        Initiative,
        Task,
        Allocation,
        CheckIn,
        FeedbackItem,
        Recognition,
    )
    counts = {model.__name__: model.objects.for_org(org).count() for model in models}
    counts["Membership"] = Membership.objects.filter(organization=org).count()
    counts["revisions"] = Objective.history.filter(organization_id=org.pk).count()
    return counts


def test_seeding_twice_changes_nothing_and_says_the_demo_exists(demo):
    # given the seeded demo organization
    before = _counts(demo)
    # when seed_demo runs again
    output = _seed()
    # then it says the demo exists, and nothing changed
    assert "exists already" in output
    assert _counts(demo) == before
    assert Organization.objects.filter(slug=DEMO_SLUG).count() == 1


def test_the_first_run_prints_the_counts_the_logins_and_the_url(demo_output):
    # then the output names the organization, the address and a login per role with the password
    assert "Created the demo organization Northwind Robotics" in demo_output
    assert f"{HISTORY_DAYS} daily score snapshots" in demo_output
    assert "http://127.0.0.1:8000/" in demo_output
    assert DEMO_PASSWORD in demo_output
    for username in ("admin", "exec", "lead", "member", "viewer"):
        assert f"  {username} " in demo_output


def test_the_demo_has_the_promised_size(demo):
    # then the organization has the sizes of the description
    counts = _counts(demo)
    assert counts["Team"] == 6
    assert counts["Person"] == 60
    assert counts["Initiative"] == 30
    assert counts["Task"] == 600
    assert counts["KeyResult"] >= 12
    assert Objective.objects.for_org(demo).exclude(parent=None).count() == 12
    assert demo.name == "Northwind Robotics"


def test_the_boardroom_has_four_objectives_with_distinct_weights(demo):
    weights = list(
        Objective.objects.for_org(demo).filter(parent=None).values_list("priority_weight", flat=True)
    )
    assert sorted(weights) == [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]


def test_the_plan_mixes_statuses_dates_and_loose_ends(demo):
    today = timezone.localdate()
    objectives = Counter(
        Objective.objects.for_org(demo).exclude(parent=None).values_list("status", flat=True)
    )
    assert objectives["active"] > objectives["draft"] + objectives["achieved"] + objectives["cancelled"]
    assert min(objectives["draft"], objectives["achieved"], objectives["cancelled"]) >= 1
    initiatives = Initiative.objects.for_org(demo)
    statuses = Counter(initiatives.values_list("status", flat=True))
    assert statuses["active"] > 15
    assert min(statuses["proposed"], statuses["on_hold"], statuses["done"]) >= 1
    assert initiatives.filter(objective=None).exists()
    assert initiatives.filter(end_date=None).exists()
    assert initiatives.filter(
        status="active", end_date__gt=today, end_date__lte=today + timedelta(weeks=10)
    ).exists()
    assert initiatives.exclude(estimate_hours=None).exists()
    assert initiatives.filter(estimate_hours=None).exists()
    people = Person.objects.for_org(demo)
    assert people.filter(active=False).count() == 2
    assert all(20 <= capacity <= 40 for capacity in people.values_list("weekly_capacity_hours", flat=True))
    assert Team.objects.for_org(demo).exclude(parent=None).count() == 2


def _task_class(task: Task, today) -> str:
    """SCORING.md's classes: orphan (no resolved objective), aligned (live chain, active or no initiative)."""
    objective = task.objective or (task.initiative.objective if task.initiative else None)
    if objective is None:
        return "orphan"
    chain, node = [], objective
    while node is not None:
        chain.append(node)
        node = node.parent
    live = all(o.status == "active" and (o.end_date is None or o.end_date >= today) for o in chain)
    if live and (task.initiative is None or task.initiative.status == "active"):
        return "aligned"
    return "misaligned"


def test_the_tasks_are_mostly_aligned_with_some_orphan_and_misaligned(demo):
    # given the demo's tasks
    today = timezone.localdate()
    tasks = Task.objects.for_org(demo).select_related(
        "objective__parent__parent", "initiative__objective__parent__parent"
    )
    # then most are aligned, and orphan and misaligned work is there to find
    classes = Counter(_task_class(task, today) for task in tasks)
    assert classes["aligned"] > 0.6 * 600
    assert classes["orphan"] >= 30
    assert classes["misaligned"] >= 30
    statuses = Counter(task.status for task in tasks)
    assert len(statuses) == 5
    done = tasks.filter(status="done")
    assert not done.filter(completed_at=None).exists()
    assert done.filter(completed_at__gte=timezone.now() - timedelta(days=28)).count() > 100
    assert 0 < tasks.filter(effort_hours=None).count() < 200


def test_staffing_has_overloaded_people_spread_thin_people_and_unstaffed_initiatives(demo):
    today = timezone.localdate()
    current = (
        Allocation.objects.for_org(demo)
        .filter(initiative__status="active")
        .filter(Q(end_date=None) | Q(end_date__gte=today))
        .values("person", "person__weekly_capacity_hours")
        .annotate(load=Sum("hours_per_week"), allocations=Count("id"))
    )
    assert any(row["load"] > row["person__weekly_capacity_hours"] for row in current)
    assert any(row["allocations"] > 3 for row in current)
    unstaffed = Initiative.objects.for_org(demo).filter(status="active").annotate(n=Count("allocations"))
    assert unstaffed.filter(n=0).exists()


def test_check_ins_and_feedback_leave_gaps_to_find(demo):
    today = timezone.localdate()
    latest = (
        CheckIn.objects.for_org(demo)
        .values("objective", "initiative", "key_result")
        .annotate(last=Max("date"))
    )
    ages = [(today - row["last"]).days for row in latest]
    assert any(age < 14 for age in ages), "some items are checked in recently"
    assert any(age >= 14 for age in ages), "some items have gone stale"
    feedback = FeedbackItem.objects.for_org(demo)
    due = feedback.filter(
        kind__in=[FeedbackKind.BLOCKER, FeedbackKind.RISK], created_at__lte=timezone.now() - timedelta(days=7)
    )
    assert due.filter(acknowledged_at=None, resolved_at=None).exists(), "some blockers are unanswered"
    answered = [
        f for f in due.exclude(acknowledged_at=None) if f.acknowledged_at - f.created_at <= timedelta(days=7)
    ]
    assert answered, "some blockers are answered within days"
    assert feedback.filter(kind=FeedbackKind.IDEA).exists()
    assert feedback.filter(kind=FeedbackKind.CONCERN).exists()
    assert Recognition.objects.for_org(demo).count() >= 10


def test_each_role_has_a_login_linked_to_a_person(demo):
    memberships = Membership.objects.filter(organization=demo).select_related("user")
    roles = {m.user.username: m.role for m in memberships}
    assert roles == {
        "admin": Role.ADMIN,
        "exec": Role.EXECUTIVE,
        "lead": Role.LEAD,
        "member": Role.MEMBER,
        "viewer": Role.VIEWER,
    }
    people = Person.objects.for_org(demo).filter(user__isnull=False).select_related("user")
    assert {p.user.username for p in people} == set(roles)
    lead = people.get(user__username="lead")
    assert Team.objects.for_org(demo).filter(lead=lead).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.is_superuser


@pytest.mark.parametrize("username", ["admin", "exec", "lead", "member", "viewer"])
def test_a_demo_login_opens_the_demo_organization(client, demo, username):
    # when the demo user logs in with the documented password
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    # then they are in, and home opens the demo organization's health page with its scores
    assert response.status_code == 302
    home = client.get(reverse("home"))
    health_url = reverse("health", kwargs={"org_slug": demo.slug})
    assert home["Location"] == health_url
    health = client.get(health_url)
    assert health.status_code == 200
    latest = ScoreSnapshot.objects.filter(organization=demo).order_by("-computed_at", "-id").first()
    assert f"{latest.execution_health:.1f}" in health.content.decode()
    assert "Execution health" in health.content.decode()
    # and the strategy map lists the boardroom's objectives
    strategy = client.get(reverse("strategy_map", kwargs={"org_slug": demo.slug}))
    assert "Grow recurring revenue to $40M ARR" in strategy.content.decode()


def test_the_demo_holds_weeks_of_daily_snapshots_that_follow_its_data(demo):
    # given the seeded demo
    today = timezone.localdate()
    history = list(snapshot_history(organization=demo))
    # then it has one snapshot a day for the last five weeks, today's the latest
    assert [snapshot.as_of for snapshot in history] == [
        today - timedelta(days=offset) for offset in range(HISTORY_DAYS - 1, -1, -1)
    ]
    assert snapshot_latest(organization=demo).as_of == today
    # and the scores move with the dated work, check-ins and feedback (not one number repeated)
    for name in ("alignment", "resources", "adaptability", "execution_health"):
        assert len({round(getattr(snapshot, name), 6) for snapshot in history}) > 3, name
    # the latest is current: nothing is waiting for a recompute
    demo.refresh_from_db()
    assert demo.scores_stale_since is None


def test_the_admin_login_opens_the_django_admin(client, demo):
    client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 200


def test_reset_recreates_the_same_organization(demo):
    # given the demo as seeded, and a change to it
    def fingerprint(org):
        tasks = Task.objects.for_org(org).order_by("id")
        return _counts(org), list(tasks.values_list("title", "status", "effort_hours", "external_key"))

    before = fingerprint(demo)
    Task.objects.for_org(demo).update(title="changed")
    # when it is reset
    output = _seed("--reset")
    # then it is a new organization with the same content again
    assert "Created the demo organization" in output
    recreated = Organization.objects.get(slug=DEMO_SLUG)
    assert recreated.pk != demo.pk
    assert fingerprint(recreated) == before
    assert not Objective.history.filter(organization_id=demo.pk).exists()
