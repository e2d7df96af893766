"""Who is told of an event, and what they read: a few set-based queries per event.

Each resolver takes the event as JSON (`Event.as_json()`, what the task receives) and returns a
`News`: the kind, the title and body, the page it is about and the users to tell. The actor is
removed by `notifications.services.notify`, never here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from execgap.events import EventKind
from execgap.models import Job, JobKind, Membership, Organization, Role
from feedback.models import FeedbackItem
from notifications.models import NotificationKind
from objectives.models import Initiative, KeyResult, Objective
from resources.models import Person, Team


@dataclass(frozen=True)
class News:
    kind: NotificationKind
    title: str
    body: str = ""
    url_path: str = ""
    user_ids: frozenset[int] = field(default_factory=frozenset)


def _id(data: dict[str, Any], key: str) -> int:
    """An id of the event's data (0, which matches no row, when it has none)."""
    value = data.get(key)
    return int(value) if value is not None else 0


def _people(organization: Organization, *ids: int) -> dict[int, tuple[int | None, str]]:
    """The user and name of each person (one query)."""
    rows = Person.objects.for_org(organization).filter(pk__in=ids).values_list("pk", "user_id", "name")
    return {pk: (user_id, name) for pk, user_id, name in rows}


def _page(organization: Organization, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": organization.slug, **kwargs})


def _goal_people(organization: Organization, *, objective_id: int, initiative_id: int) -> set[int]:
    """The users of the owner of the goal and of its team's lead (one query)."""
    model: type[Objective] | type[Initiative] = Objective if objective_id else Initiative
    pk = objective_id or initiative_id
    row = (
        model.objects.for_org(organization)
        .filter(pk=pk)
        .values_list("owner__user_id", "team__lead__user_id")
        .first()
    )
    return {user for user in row or () if user is not None}


def _alert(organization: Organization, data: dict[str, Any], opened: bool) -> News:
    subject = data.get("subject") or {}
    kind, pk = subject.get("kind"), _id(subject, "id")
    users: set[int | None] = set()
    if kind in ("objective", "initiative"):
        users = set(
            _goal_people(
                organization,
                objective_id=pk if kind == "objective" else 0,
                initiative_id=pk if kind == "initiative" else 0,
            )
        )
    elif kind == "key_result":  # its objective's owner and lead
        users = set(
            KeyResult.objects.for_org(organization)
            .filter(pk=pk)
            .values_list("objective__owner__user_id", "objective__team__lead__user_id")
            .first()
            or ()
        )
    elif kind == "team":
        users = set(Team.objects.for_org(organization).filter(pk=pk).values_list("lead__user_id", flat=True))
    elif kind == "person":
        row = Person.objects.for_org(organization).filter(pk=pk).values_list("user_id", "team__lead__user_id")
        users = set(row.first() or ())
    elif kind == "feedback":
        users = set(
            FeedbackItem.objects.for_org(organization)
            .filter(pk=pk)
            .values_list("objective__team__lead__user_id", "initiative__team__lead__user_id")
            .first()
            or ()
        )
    else:  # the organization's scores: its executives and admins
        users = set(
            Membership.objects.filter(
                organization=organization, role__in=(Role.EXECUTIVE, Role.ADMIN)
            ).values_list("user_id", flat=True)
        )
    state = "opened" if opened else "resolved"
    return News(
        kind=NotificationKind.ALERT,
        title=f"Alert {state}: {subject.get('title', '')}".strip(),
        body=str(data.get("message", "")),
        url_path=str(data.get("url") or _page(organization, "health")),
        user_ids=frozenset(user for user in users if user is not None),
    )


def _alert_opened(organization: Organization, data: dict[str, Any]) -> News:
    return _alert(organization, data, opened=True)


def _alert_resolved(organization: Organization, data: dict[str, Any]) -> News:
    return _alert(organization, data, opened=False)


def _feedback_raised(organization: Organization, data: dict[str, Any]) -> News:
    users = _goal_people(
        organization, objective_id=_id(data, "objective_id"), initiative_id=_id(data, "initiative_id")
    )
    author_id = _id(data, "author_person_id")
    name = _people(organization, author_id).get(author_id, (None, "Someone"))[1]
    kind = str(data.get("kind", "feedback"))
    return News(
        kind=NotificationKind.FEEDBACK_RAISED,
        title=f"{name} raised a {kind}",
        body=str(data.get("text", "")),
        url_path=_page(organization, "feedback_detail", pk=data["feedback_id"]),
        user_ids=frozenset(users),
    )


def _feedback_answered(organization: Organization, data: dict[str, Any]) -> News:
    author, answered_by = _id(data, "author_person_id"), _id(data, "answered_by_person_id")
    people = _people(organization, author, answered_by)
    author_user = people.get(author, (None, ""))[0]
    answerer = people.get(answered_by, (None, "Someone"))[1]
    return News(
        kind=NotificationKind.FEEDBACK_ANSWERED,
        title=f"{answerer} answered your {data.get('kind', 'feedback')}",
        body=str(data.get("response", "")),
        url_path=_page(organization, "feedback_detail", pk=data["feedback_id"]),
        user_ids=frozenset({author_user} if author_user else ()),
    )


def _recognition(organization: Organization, data: dict[str, Any]) -> News:
    giver_id, to_id = _id(data, "from_person_id"), _id(data, "to_person_id")
    people = _people(organization, giver_id, to_id)
    to_user = people.get(to_id, (None, ""))[0]
    giver = people.get(giver_id, (None, "Someone"))[1]
    return News(
        kind=NotificationKind.RECOGNITION,
        title=f"{giver} recognized you",
        body=str(data.get("message", "")),
        url_path=_page(organization, "my_work"),
        user_ids=frozenset({to_user} if to_user else ()),
    )


def _invitation_accepted(organization: Organization, data: dict[str, Any]) -> News:
    inviter = data.get("invited_by_user_id")
    return News(
        kind=NotificationKind.INVITATION_ACCEPTED,
        title=f"{data.get('email', 'Your invitee')} accepted your invitation",
        body=f"They joined as {data.get('role', 'a member')}.",
        url_path=_page(organization, "settings_members"),
        user_ids=frozenset({inviter} if inviter else ()),
    )


def _job_finished(organization: Organization, data: dict[str, Any]) -> News | None:
    if data.get("kind") not in (JobKind.TASK_IMPORT, JobKind.SCENARIO_EVALUATION):
        return None
    job = Job.objects.for_org(organization).filter(pk=_id(data, "job_id")).first()
    if job is None:
        return None
    failed = data.get("state") == "failed"
    if job.kind == JobKind.SCENARIO_EVALUATION:
        what, scenario = "scenario evaluation", job.parameters.get("scenario")
        url = _page(organization, "scenarios_evaluation", pk=scenario) if scenario else ""
    else:
        what, team = "task import", (job.parameters.get("options") or {}).get("team")
        url = _page(organization, "task_import_job", pk=team, job_pk=job.pk) if team else ""
    return News(
        kind=NotificationKind.JOB_FINISHED,
        title=f"Your {what} {'failed' if failed else 'finished'}",
        body=str(data.get("error") or ""),
        url_path=url,
        user_ids=frozenset({job.created_by_id} if job.created_by_id else ()),
    )


RESOLVERS: dict[EventKind, Callable[[Organization, dict[str, Any]], News | None]] = {
    EventKind.ALERT_OPENED: _alert_opened,
    EventKind.ALERT_RESOLVED: _alert_resolved,
    EventKind.FEEDBACK_RAISED: _feedback_raised,
    EventKind.FEEDBACK_ANSWERED: _feedback_answered,
    EventKind.RECOGNITION_GIVEN: _recognition,
    EventKind.INVITATION_ACCEPTED: _invitation_accepted,
    EventKind.JOB_FINISHED: _job_finished,
}


def news_of(organization: Organization, event: dict[str, Any]) -> News | None:
    """What `event` (as JSON) tells whom; None when it is not news for anyone."""
    resolver = RESOLVERS.get(EventKind(event["kind"]))
    return resolver(organization, event["data"]) if resolver else None
