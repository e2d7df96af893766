"""The demo organization, Northwind Robotics: a realistic plan with the gaps ExecGap is there to show.

`demo_seed()` creates it through the services (the one way in), in one transaction, from a seeded
random generator and dates relative to today: the same day always gives the same organization, and
the demo never goes out of date. Its scores come with a few weeks of daily history
(`history.history_create`), computed by the scoring engine from the demo's dated work. It is
found again by its slug: seeding twice changes nothing, and `reset=True` deletes it and creates it
anew.

The demo logins (one per role) share `DEMO_PASSWORD`; an account that exists already keeps its
password unless the demo is reset (`DemoLogin.password_set` says which got the demo password).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from execgap.demo import content
from execgap.demo.history import history_create
from execgap.demo.plan import LOGIN_ROLES, plan_create
from execgap.demo.work import work_create
from execgap.models import Organization, Role
from feedback.models import CheckIn, FeedbackItem, Recognition
from objectives.models import Initiative, KeyResult, Objective, Task
from resources.models import Allocation, Person, Team

DEMO_SLUG = content.ORGANIZATION_SLUG
DEMO_PASSWORD = "northwind-demo"  # documented in the README: for the demo logins only
DEMO_SEED = 20250401


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    person: str
    password_set: bool  # False: the account existed before, with a password of its own


@dataclass(frozen=True)
class DemoSeedResult:
    organization: Organization
    created: bool  # False: the demo organization existed already and nothing changed
    logins: tuple[DemoLogin, ...]


def demo_seed(*, reset: bool = False, today: date | None = None) -> DemoSeedResult:
    """Create the demo organization unless it exists; with `reset`, delete it first.

    `today` (default: the current date) anchors every date of the demo.
    """
    now = timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        existing = Organization.objects.filter(slug=DEMO_SLUG).first()
        if existing is not None and not reset:
            return DemoSeedResult(organization=existing, created=False, logins=_logins(password_set=set()))
        if existing is not None:
            organization_wipe(existing)
        users, password_set = _users_get_or_create(reset_passwords=reset)
        plan = plan_create(users=users, today=today, now=now, seed=DEMO_SEED)
        work_create(plan)
        history_create(organization=plan.organization, today=today)
    return DemoSeedResult(
        organization=plan.organization, created=True, logins=_logins(password_set=password_set)
    )


def _users_get_or_create(*, reset_passwords: bool) -> tuple[dict[str, User], set[str]]:
    """The demo login users, and which of them have the demo password now.

    Users created now get the demo password (hashed once: hashing is slow on purpose); existing
    ones keep theirs unless `reset_passwords`.
    """
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    created_now: set[str] = set()
    for username, role in LOGIN_ROLES.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "password": password,
                "email": f"{username}@{content.EMAIL_DOMAIN}",
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if not created and reset_passwords:
            user.password = password
            user.save(update_fields=["password"])
        users[username] = user
        if created or reset_passwords:
            created_now.add(username)
    return users, created_now


def _logins(*, password_set: set[str]) -> tuple[DemoLogin, ...]:
    people = {p.login: p.name for p in content.NAMED_PEOPLE if p.login}
    return tuple(
        DemoLogin(
            username=username, role=role, person=people[username], password_set=username in password_set
        )
        for username, role in LOGIN_ROLES.items()
    )


def organization_wipe(organization: Organization) -> None:
    """Delete an organization with every row it owns and its plan history.

    There is no service for deleting a whole organization (and no role may do it): this is the
    demo's reset only. Links that protect a row from deletion (the trees, initiatives' objectives)
    are cut first, so that the cascade can run; the history rows written by the cascade go too.
    """
    org_id = organization.pk
    with transaction.atomic():
        for model in (Recognition, FeedbackItem, CheckIn, Task, Allocation, KeyResult):
            model.objects.for_org(org_id).delete()
        Initiative.objects.for_org(org_id).update(objective=None)
        Initiative.objects.for_org(org_id).delete()
        Objective.objects.for_org(org_id).update(parent=None)
        Objective.objects.for_org(org_id).delete()
        Team.objects.for_org(org_id).update(parent=None, lead=None)
        Team.objects.for_org(org_id).delete()
        Person.objects.for_org(org_id).delete()
        for history_model in (Objective, KeyResult, Initiative, Allocation):
            history_model.history.model.objects.filter(organization_id=org_id).delete()
        organization.delete()
        Organization.history.model.objects.filter(id=org_id).delete()  # its settings' history
