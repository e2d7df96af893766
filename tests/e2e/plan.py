"""A small, deterministic organization for the browser tests: every page has rows and numbers.

Northwind has one team (Platform, led by the lead, the member in it), a boardroom objective with a
child objective, a key result, a staffed initiative (the member owns it: a check-in is due) and an
unstaffed one, an aligned task and an orphan task (6 of 8 hours aligned: alignment 75), an open
blocker and a recognition, and one snapshot of its scores. One user per role; `newcomer` has no
organization yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from execgap.models import Organization, Role
from feedback.models import FeedbackItem, FeedbackKind
from objectives.models import Initiative, KeyResult, Objective, ObjectiveStatus, Task
from resources.models import Person, Team
from scoring.services import scores_recompute
from tests.factories import (
    AllocationFactory,
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    OrganizationFactory,
    PersonFactory,
    RecognitionFactory,
    TaskFactory,
    TeamFactory,
    UserFactory,
)

PASSWORD = "a-long-test-password"  # the factories' password of every user


@dataclass(frozen=True)
class Plan:
    organization: Organization
    admin: AbstractBaseUser
    executive: AbstractBaseUser
    lead: AbstractBaseUser
    member: AbstractBaseUser
    viewer: AbstractBaseUser
    newcomer: AbstractBaseUser
    team: Team
    lead_person: Person
    member_person: Person
    root: Objective
    child: Objective
    key_result: KeyResult
    staffed: Initiative
    unstaffed: Initiative
    aligned_task: Task
    orphan_task: Task
    blocker: FeedbackItem

    def path(self, suffix: str = "") -> str:
        """The path of an organization page: `plan.path("strategy/")`."""
        return f"/o/{self.organization.slug}/{suffix}"


def plan_build() -> Plan:
    organization = OrganizationFactory(slug="northwind", name="Northwind")

    def user(role: Role, username: str) -> AbstractBaseUser:
        account = UserFactory(username=username)
        MembershipFactory(organization=organization, role=role, user=account)
        return account

    admin = user(Role.ADMIN, "ada")
    executive = user(Role.EXECUTIVE, "erin")
    lead = user(Role.LEAD, "leo")
    member = user(Role.MEMBER, "mia")
    viewer = user(Role.VIEWER, "vic")
    newcomer = UserFactory(username="nora")

    lead_person = PersonFactory(organization=organization, user=lead, name="Leo Lead")
    team = TeamFactory(organization=organization, name="Platform", lead=lead_person)
    lead_person.team = team
    lead_person.save()
    member_person = PersonFactory(
        organization=organization, user=member, name="Mia Member", email="mia@example.com", team=team
    )
    PersonFactory(organization=organization, user=admin, name="Ada Admin")
    PersonFactory(organization=organization, user=executive, name="Erin Executive")

    root = ObjectiveFactory(
        organization=organization, title="Grow recurring revenue", status=ObjectiveStatus.ACTIVE
    )
    child = ObjectiveFactory(
        organization=organization,
        title="Ship self-serve onboarding",
        parent=root,
        team=team,
        status=ObjectiveStatus.ACTIVE,
    )
    key_result = KeyResultFactory(
        organization=organization,
        objective=child,
        title="Activated accounts",
        unit="accounts",
        target_value=Decimal(200),
        current_value=Decimal(50),
    )
    staffed = InitiativeFactory(
        organization=organization, title="Onboarding wizard", objective=child, team=team,
        owner=member_person, estimate_hours=Decimal(40),
    )  # fmt: skip
    unstaffed = InitiativeFactory(
        organization=organization, title="Billing revamp", objective=root, team=team,
        estimate_hours=Decimal(40),
    )  # fmt: skip
    AllocationFactory(
        organization=organization, person=member_person, initiative=staffed, hours_per_week=Decimal(20)
    )
    aligned_task = TaskFactory(
        organization=organization, title="Design the wizard steps", initiative=staffed, team=team,
        assignee=member_person, effort_hours=Decimal(6),
    )  # fmt: skip
    orphan_task = TaskFactory(
        organization=organization, title="Tidy the build scripts", team=team, assignee=member_person,
        effort_hours=Decimal(2),
    )  # fmt: skip
    CheckInFactory(organization=organization, key_result=key_result, author=lead_person, value=Decimal(50))
    blocker = FeedbackItemFactory(
        organization=organization,
        kind=FeedbackKind.BLOCKER,
        initiative=staffed,
        author=member_person,
        text="The staging database is down",
    )
    RecognitionFactory(
        organization=organization, from_person=lead_person, to_person=member_person, message="Great demo"
    )
    scores_recompute(organization_id=organization.pk)
    return Plan(
        organization=organization, admin=admin, executive=executive, lead=lead, member=member,
        viewer=viewer, newcomer=newcomer, team=team, lead_person=lead_person,
        member_person=member_person, root=root, child=child, key_result=key_result, staffed=staffed,
        unstaffed=unstaffed, aligned_task=aligned_task, orphan_task=orphan_task, blocker=blocker,
    )  # fmt: skip
