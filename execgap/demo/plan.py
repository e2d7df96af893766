"""The demo organization's structure and plan: memberships, teams, people, objectives, key results
and initiatives, written through the services. `work.py` adds the work done against the plan."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User

from execgap.demo import content, vocabulary
from execgap.demo.content import InitiativeSpec, ObjectiveSpec
from execgap.models import Membership, Organization, Role
from execgap.services import membership_create, organization_create
from objectives.models import Initiative, InitiativeStatus, Objective, ObjectiveStatus
from objectives.services import initiative_create, key_result_create, objective_create
from resources.models import Person, Team
from resources.services import person_create, team_create, team_update

PLAN_REASON = "Demo plan"

LOGIN_ROLES = {
    "admin": Role.ADMIN,
    "exec": Role.EXECUTIVE,
    "lead": Role.LEAD,
    "member": Role.MEMBER,
    "viewer": Role.VIEWER,
}


@dataclass
class DemoPlan:
    """The rows created so far, by their key in `content`, for the steps that follow."""

    organization: Organization
    admin: Membership  # the actor of the organization's set-up (teams, people, work)
    executive: Membership  # the actor of the plan (objectives, key results, initiatives, allocations)
    today: date
    now: datetime
    rng: random.Random
    teams: dict[str, Team] = field(default_factory=dict)
    team_key_of: dict[int, str] = field(default_factory=dict)  # team id → key
    people: dict[str, Person] = field(default_factory=dict)  # by name
    objectives: dict[str, Objective] = field(default_factory=dict)
    initiatives: dict[str, Initiative] = field(default_factory=dict)

    def day(self, offset: int | None) -> date | None:
        return None if offset is None else self.today + timedelta(days=offset)

    def active_people(self, team_key: str) -> list[Person]:
        team = self.teams[team_key]
        return [p for p in self.people.values() if p.team_id == team.pk and p.active]


def plan_create(*, users: dict[str, User], today: date, now: datetime, seed: int) -> DemoPlan:
    """Create the organization, its memberships, teams, people and plan. `users` maps login → user."""
    organization = organization_create(
        user=users["admin"], slug=content.ORGANIZATION_SLUG, name=content.ORGANIZATION_NAME
    )
    admin = Membership.objects.select_related("user").get(organization=organization, user=users["admin"])
    members = {
        login: membership_create(actor=admin, user=users[login], role=role)
        for login, role in LOGIN_ROLES.items()
        if login != "admin"
    }
    plan = DemoPlan(
        organization=organization, admin=admin, executive=members["exec"], today=today, now=now,
        rng=random.Random(seed),
    )  # fmt: skip
    _teams_create(plan)
    _people_create(plan, users)
    _objectives_create(plan)
    _initiatives_create(plan)
    return plan


def _teams_create(plan: DemoPlan) -> None:
    for spec in content.TEAMS:
        parent = plan.teams[spec.parent] if spec.parent else None
        team = team_create(actor=plan.admin, data={"name": spec.name, "parent": parent})
        plan.teams[spec.key] = team
        plan.team_key_of[team.pk] = spec.key


def _people_create(plan: DemoPlan, users: dict[str, User]) -> None:
    """Each team: its named people, then generated ones up to its size; then each team's lead."""
    rng = plan.rng
    last_names = list(vocabulary.LAST_NAMES)
    first_names = iter(vocabulary.FIRST_NAMES)
    leads: dict[str, Person] = {}
    for spec in content.TEAMS:
        named = [p for p in content.NAMED_PEOPLE if p.team == spec.key]
        rows = [(p.name, p.capacity, p.active, users.get(p.login) if p.login else None) for p in named]
        while len(rows) < spec.size:
            name = f"{next(first_names)} {rng.choice(last_names)}"
            rows.append((name, rng.choice((40, 40, 40, 36, 32, 30, 24, 20)), True, None))
        for name, capacity, active, user in rows:
            person = person_create(
                actor=plan.admin,
                data={
                    "name": name,
                    "email": _email(name),
                    "team": plan.teams[spec.key],
                    "weekly_capacity_hours": Decimal(capacity),
                    "active": active,
                    "user": user,
                },
            )
            plan.people[name] = person
        leads.update((spec.key, plan.people[p.name]) for p in named if p.leads)
    for key, lead in leads.items():
        plan.teams[key] = team_update(actor=plan.admin, team=plan.teams[key], data={"lead": lead})


def _email(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{'.'.join(ascii_name.lower().split())}@{content.EMAIL_DOMAIN}"


def _objectives_create(plan: DemoPlan) -> None:
    for spec in content.OBJECTIVES:
        plan.objectives[spec.key] = objective_create(
            actor=plan.executive,
            data={
                "title": spec.title,
                "parent": plan.objectives[spec.parent] if spec.parent else None,
                "team": plan.teams[spec.team],
                "owner": plan.people[spec.owner] if spec.owner else None,
                "status": spec.status,
                "priority_weight": Decimal(spec.weight),
                "start_date": plan.day(spec.start),
                "end_date": plan.day(spec.end),
            },
            reason=PLAN_REASON,
        )
    for kr in content.KEY_RESULTS:
        key_result_create(
            actor=plan.executive,
            data={
                "objective": plan.objectives[kr.objective],
                "title": kr.title,
                "unit": kr.unit,
                "start_value": Decimal(str(kr.start)),
                "target_value": Decimal(str(kr.target)),
                "current_value": Decimal(str(kr.current)),
            },
            reason=PLAN_REASON,
        )


def _initiatives_create(plan: DemoPlan) -> None:
    for spec in content.INITIATIVES:
        plan.initiatives[spec.key] = initiative_create(
            actor=plan.executive,
            data={
                "title": spec.title,
                "objective": plan.objectives[spec.objective] if spec.objective else None,
                "team": plan.teams[spec.team],
                "owner": _initiative_owner(plan, spec),
                "status": spec.status,
                "start_date": plan.day(spec.start),
                "end_date": plan.day(spec.end),
                "estimate_hours": Decimal(spec.estimate) if spec.estimate is not None else None,
            },
            reason=PLAN_REASON,
        )


def _initiative_owner(plan: DemoPlan, spec: InitiativeSpec) -> Person | None:
    """The team's lead for about half of the initiatives, someone else of the team for the rest."""
    if not spec.owned:
        return None
    lead = plan.teams[spec.team].lead
    if lead is not None and plan.rng.random() < 0.5:
        return lead
    return plan.rng.choice(plan.active_people(spec.team))


def objective_is_live(key: str) -> bool:
    """Is the objective and every one above it active (on the day the demo is seeded)?"""
    specs = {spec.key: spec for spec in content.OBJECTIVES}
    spec: ObjectiveSpec | None = specs[key]
    while spec is not None:
        if spec.status != ObjectiveStatus.ACTIVE or spec.end < 0:
            return False
        spec = specs[spec.parent] if spec.parent else None
    return True


def initiative_is_aligned(spec: InitiativeSpec) -> bool:
    """Does work on this initiative count as aligned: it is active, under a live objective?"""
    return (
        spec.status == InitiativeStatus.ACTIVE
        and spec.objective is not None
        and objective_is_live(spec.objective)
    )
