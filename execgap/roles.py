"""Who may do what: the one rule table, used by services, pages, the API and the admin.

viewer     reads everything in the organization;
member     also creates tasks, and check-ins, feedback and recognitions as themselves, and edits
           their own tasks;
lead       also manages their team's objectives, key results, initiatives, tasks and allocations,
           and answers their team's feedback;
executive  manages everything in the plan;
admin      also manages the organization, its settings, teams, people, memberships and tokens.

A grant is a `Scope`: ANY row of the organization, the rows of the member's TEAM (the teams they
lead or belong to, with every team below them), or their OWN rows (tasks assigned to them, their
own tokens, the check-ins, feedback and recognitions they write).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from execgap.models import Membership, Organization, Role

if TYPE_CHECKING:
    from resources.models import Person


class Resource(enum.StrEnum):
    ORGANIZATION = "organization"
    MEMBERSHIP = "membership"
    TOKEN = "token"
    TEAM = "team"
    PERSON = "person"
    OBJECTIVE = "objective"
    KEY_RESULT = "key_result"
    INITIATIVE = "initiative"
    TASK = "task"
    ALLOCATION = "allocation"
    CHECK_IN = "check_in"
    FEEDBACK = "feedback"
    RECOGNITION = "recognition"
    SCORES = "scores"
    TASK_IMPORT = "task_import"
    SCENARIO = "scenario"  # what-if scenarios: leads and up draft, apply and discard them
    JOB = "job"  # background jobs (recomputes, imports): every member reads, only their code writes
    ALERT_RULE = "alert_rule"  # alert rules and their alerts: everyone reads; leads write their team's
    WEBHOOK = "webhook"  # webhook endpoints and their deliveries: admins only, reads included
    DIGEST = "digest"  # the weekly executive digest: executives and admins read it


class Action(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    ANSWER = "answer"  # acknowledge, respond to and resolve feedback
    RECOMPUTE = "recompute"


class Scope(enum.Flag):
    # Three separate bits: were ANY the union OWN | TEAM, a grant of "own and team rows" would
    # compare equal to ANY and open every row of the organization.
    OWN = enum.auto()
    TEAM = enum.auto()
    ANY = enum.auto()


Grant = Mapping[Role, Scope]

_EVERYONE: Grant = dict.fromkeys(Role, Scope.ANY)
_MEMBER_UP: Grant = {
    Role.MEMBER: Scope.ANY,
    Role.LEAD: Scope.ANY,
    Role.EXECUTIVE: Scope.ANY,
    Role.ADMIN: Scope.ANY,
}
# Check-ins, feedback and recognitions: a member writes them as themselves only.
_OWN_UP: Grant = {
    Role.MEMBER: Scope.OWN,
    Role.LEAD: Scope.ANY,
    Role.EXECUTIVE: Scope.ANY,
    Role.ADMIN: Scope.ANY,
}
_LEAD_TEAM: Grant = {Role.LEAD: Scope.TEAM, Role.EXECUTIVE: Scope.ANY, Role.ADMIN: Scope.ANY}
_LEAD_UP: Grant = {Role.LEAD: Scope.ANY, Role.EXECUTIVE: Scope.ANY, Role.ADMIN: Scope.ANY}
_EXECUTIVE_UP: Grant = {Role.EXECUTIVE: Scope.ANY, Role.ADMIN: Scope.ANY}
_ADMIN: Grant = {Role.ADMIN: Scope.ANY}
_OWN_TASKS: Grant = {
    Role.MEMBER: Scope.OWN,
    Role.LEAD: Scope.OWN | Scope.TEAM,
    Role.EXECUTIVE: Scope.ANY,
    Role.ADMIN: Scope.ANY,
}
# Tokens belong to a user, not to an organization: each role manages only its own (an admin acts on
# a member's access through their membership instead).
_OWN_TOKENS: Grant = dict.fromkeys(Role, Scope.OWN)

_WRITES = (Action.CREATE, Action.CHANGE, Action.DELETE)

RULES: Mapping[tuple[Resource, Action], Grant] = {
    **{(resource, Action.VIEW): _EVERYONE for resource in Resource},
    (Resource.MEMBERSHIP, Action.VIEW): _ADMIN,
    (Resource.WEBHOOK, Action.VIEW): _ADMIN,
    (Resource.DIGEST, Action.VIEW): _EXECUTIVE_UP,
    (Resource.TOKEN, Action.VIEW): _OWN_TOKENS,
    **{(Resource.ORGANIZATION, action): _ADMIN for action in (Action.CHANGE, Action.DELETE)},
    **{
        (resource, action): _ADMIN
        for resource in (Resource.MEMBERSHIP, Resource.TEAM, Resource.PERSON, Resource.WEBHOOK)
        for action in _WRITES
    },
    **{(Resource.TOKEN, action): _OWN_TOKENS for action in (Action.CREATE, Action.DELETE)},
    **{
        (resource, action): _LEAD_TEAM
        for resource in (
            Resource.OBJECTIVE,
            Resource.KEY_RESULT,
            Resource.INITIATIVE,
            Resource.ALLOCATION,
            Resource.ALERT_RULE,
        )
        for action in _WRITES
    },
    (Resource.TASK, Action.CREATE): _MEMBER_UP,
    (Resource.TASK, Action.CHANGE): _OWN_TASKS,
    (Resource.TASK, Action.DELETE): _OWN_TASKS,
    **{
        (resource, Action.CREATE): _OWN_UP
        for resource in (Resource.CHECK_IN, Resource.FEEDBACK, Resource.RECOGNITION)
    },
    **{
        (resource, action): _EXECUTIVE_UP
        for resource in (Resource.CHECK_IN, Resource.FEEDBACK, Resource.RECOGNITION)
        for action in (Action.CHANGE, Action.DELETE)
    },
    (Resource.FEEDBACK, Action.ANSWER): _LEAD_TEAM,
    (Resource.SCORES, Action.RECOMPUTE): _LEAD_UP,
    (Resource.TASK_IMPORT, Action.CREATE): _LEAD_UP,
    **{(Resource.SCENARIO, action): _LEAD_UP for action in _WRITES},
}


def scope_of(membership: Membership, resource: Resource, action: Action) -> Scope | None:
    """The scope the member's role grants for this action, or None where it grants nothing."""
    return RULES.get((resource, action), {}).get(Role(membership.role))


def is_allowed(membership: Membership, resource: Resource, action: Action, obj: Any = None) -> bool:
    """May this member do `action` on `obj` (or, with no `obj`, on some row of `resource`)?

    A row of another organization is never allowed. For a scoped grant `obj` decides: a task is OWN
    when assigned to the member's person; a row is TEAM when its team (see `team_id_of`) is one of
    the member's teams.
    """
    scope = scope_of(membership, resource, action)
    if scope is None:
        return False
    if obj is not None and _organization_id_of(obj) not in (None, membership.organization_id):
        return False
    if Scope.ANY in scope or obj is None:
        return True
    person = person_of(membership)
    if Scope.OWN in scope and person is not None and _owner_person_id(resource, obj) == person.pk:
        return True
    if (
        Scope.OWN in scope
        and resource is Resource.TOKEN
        and getattr(obj, "user_id", None) == membership.user_id
    ):
        return True
    return Scope.TEAM in scope and team_id_of(obj) in team_ids_of(membership)


# What each resource is called in a sentence: (one, several), never its code name ("check_in").
NOUNS: Mapping[Resource, tuple[str, str]] = {
    Resource.ORGANIZATION: ("organization", "organizations"),
    Resource.MEMBERSHIP: ("membership", "memberships"),
    Resource.TOKEN: ("API token", "API tokens"),
    Resource.TEAM: ("team", "teams"),
    Resource.PERSON: ("person", "people"),
    Resource.OBJECTIVE: ("objective", "objectives"),
    Resource.KEY_RESULT: ("key result", "key results"),
    Resource.INITIATIVE: ("initiative", "initiatives"),
    Resource.TASK: ("task", "tasks"),
    Resource.ALLOCATION: ("allocation", "allocations"),
    Resource.CHECK_IN: ("check-in", "check-ins"),
    Resource.FEEDBACK: ("feedback item", "feedback"),
    Resource.RECOGNITION: ("recognition", "recognitions"),
    Resource.SCORES: ("scores", "scores"),
    Resource.TASK_IMPORT: ("task import", "task imports"),
    Resource.SCENARIO: ("scenario", "scenarios"),
    Resource.JOB: ("job", "jobs"),
    Resource.ALERT_RULE: ("alert rule", "alert rules"),
    Resource.WEBHOOK: ("webhook endpoint", "webhook endpoints"),
    Resource.DIGEST: ("digest", "digests"),
}

# The roles from the least to the most trusted: the first one a rule grants is the one it needs.
ROLE_LADDER = (Role.VIEWER, Role.MEMBER, Role.LEAD, Role.EXECUTIVE, Role.ADMIN)


def noun(resource: Resource, *, plural: bool = False) -> str:
    """The resource as a sentence names it: "check-in", or "check-ins" with `plural`."""
    return NOUNS[resource][1 if plural else 0]


def needed_role(resource: Resource, action: Action) -> Role | None:
    """The least trusted role the rule table lets do `action` on some row of `resource` (None: no role)."""
    grant = RULES.get((resource, action), {})
    return next((role for role in ROLE_LADDER if role in grant), None)


class RoleRefusedError(PermissionDenied):
    """A role rule refused an action: the message says what was refused; `needed` is the least
    trusted role the rule grants it to (the 403 page says so), None when no role may."""

    def __init__(self, message: str, *, resource: Resource, action: Action) -> None:
        super().__init__(message)
        self.resource = resource
        self.action = action
        self.needed = needed_role(resource, action)


def require(membership: Membership, resource: Resource, action: Action, obj: Any = None) -> None:
    """Raise RoleRefusedError (a PermissionDenied), naming what was refused, unless `is_allowed`."""
    if not is_allowed(membership, resource, action, obj):
        raise RoleRefusedError(
            f"Your role ({membership.role}) may not {action.value} this {noun(resource)}.",
            resource=resource,
            action=action,
        )


def person_of(membership: Membership) -> Person | None:
    """The member's person record in the organization (cached on the membership)."""
    if not hasattr(membership, "_person_cache"):
        from resources.models import Person

        membership._person_cache = (  # type: ignore[attr-defined]
            Person.objects.for_org(membership.organization_id).filter(user_id=membership.user_id).first()
        )
    return membership._person_cache  # type: ignore[attr-defined]


def team_ids_of(membership: Membership) -> frozenset[int]:
    """The member's teams: those their person leads or belongs to, and every team below them."""
    if not hasattr(membership, "_team_ids_cache"):
        from resources.models import Team

        person = person_of(membership)
        roots: set[int] = set()
        rows = list(
            Team.objects.for_org(membership.organization_id).values_list("id", "parent_id", "lead_id")
        )
        if person is not None:
            roots = {team_id for team_id, _, lead_id in rows if lead_id == person.pk}
            if person.team_id is not None:
                roots.add(person.team_id)
        membership._team_ids_cache = frozenset(  # type: ignore[attr-defined]
            _subtree_ids(roots, [(team_id, parent_id) for team_id, parent_id, _ in rows])
        )
    return membership._team_ids_cache  # type: ignore[attr-defined]


def _subtree_ids(roots: set[int], edges: list[tuple[int, int | None]]) -> set[int]:
    children: dict[int, list[int]] = {}
    for node, parent in edges:
        if parent is not None:
            children.setdefault(parent, []).append(node)
    found, stack = set(roots), list(roots)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _owner_person_id(resource: Resource, obj: Any) -> int | None:
    field = {
        Resource.TASK: "assignee_id",
        Resource.CHECK_IN: "author_id",
        Resource.FEEDBACK: "author_id",
        Resource.RECOGNITION: "from_person_id",
    }.get(resource)
    return getattr(obj, field, None) if field else None


def _organization_id_of(obj: Any) -> int | None:
    if isinstance(obj, Organization):
        return obj.pk
    return getattr(obj, "organization_id", None)


def team_id_of(obj: Any) -> int | None:
    """The team a plan row belongs to: its own team, else that of the goal it hangs from.

    Links are followed only within the row's organization (a goal elsewhere counts as no team).
    """
    own = getattr(obj, "team_id", None)
    if own is not None:
        return int(own)
    for link in ("initiative", "objective", "key_result"):
        if getattr(obj, f"{link}_id", None) is not None:
            goal = _linked_in_org(obj, link)
            return team_id_of(goal) if goal is not None else None
    return None


def _linked_in_org(obj: Any, link: str) -> Any:
    """The row `obj.<link>` points to, when it is in `obj`'s organization; else None."""
    field = type(obj)._meta.get_field(link)
    if field.is_cached(obj):
        goal = getattr(obj, link)
        return goal if goal.organization_id == obj.organization_id else None
    goals = field.related_model.objects.for_org(obj.organization_id)
    return goals.filter(pk=getattr(obj, field.attname)).first()
