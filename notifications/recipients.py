"""Who is told of an event, and what they read: a few set-based queries per event, and per kind of
subject for a chunk of alerts.

Each resolver takes the event as JSON (`Event.as_json()`, what the task receives) and returns a
`News`: the kind, the title and body, the page it is about and the users to tell. The actor is
removed by `notifications.services.notify_events`, never here.
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


ALERT_KINDS = frozenset({EventKind.ALERT_OPENED, EventKind.ALERT_RESOLVED})


def _alert_users(
    organization: Organization, subjects: list[tuple[str, int]]
) -> dict[tuple[str, int], set[int]]:
    """The users told of an alert on each subject (kind, id): one query per kind of subject, however
    many alerts a recompute opened. An objective or initiative: its owner and its team's lead; a key
    result: its objective's; a team: its lead; a person: themselves and their team's lead; a blocker:
    its goal's team lead; the organization's scores: its executives and admins."""
    ids: dict[str, set[int]] = {}
    for kind, pk in subjects:
        ids.setdefault(kind, set()).add(pk)
    lookups: dict[str, tuple[Any, tuple[str, ...]]] = {
        "objective": (Objective, ("owner__user_id", "team__lead__user_id")),
        "initiative": (Initiative, ("owner__user_id", "team__lead__user_id")),
        "key_result": (KeyResult, ("objective__owner__user_id", "objective__team__lead__user_id")),
        "team": (Team, ("lead__user_id",)),
        "person": (Person, ("user_id", "team__lead__user_id")),
        "feedback": (FeedbackItem, ("objective__team__lead__user_id", "initiative__team__lead__user_id")),
    }
    users: dict[tuple[str, int], set[int]] = {}
    for kind, pks in ids.items():
        if kind in lookups:
            model, fields = lookups[kind]
            for pk, *found in (
                model.objects.for_org(organization).filter(pk__in=sorted(pks)).values_list("pk", *fields)
            ):
                users[(kind, pk)] = {user for user in found if user is not None}
        else:  # the organization's scores
            leaders = set(
                Membership.objects.filter(
                    organization=organization, role__in=(Role.EXECUTIVE, Role.ADMIN)
                ).values_list("user_id", flat=True)
            )
            users |= {(kind, pk): leaders for pk in pks}
    return users


def _alert_news(
    organization: Organization, data: dict[str, Any], opened: bool, users: dict[tuple[str, int], set[int]]
) -> News:
    subject = data.get("subject") or {}
    state = "opened" if opened else "resolved"
    return News(
        kind=NotificationKind.ALERT,
        title=f"Alert {state}: {subject.get('title', '')}".strip(),
        body=str(data.get("message", "")),
        url_path=str(data.get("url") or _page(organization, "health")),
        user_ids=frozenset(users.get(_subject_of(data), ())),
    )


def _subject_of(data: dict[str, Any]) -> tuple[str, int]:
    subject = data.get("subject") or {}
    return (str(subject.get("kind")), _id(subject, "id"))


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


# The news of each kind of event but the alerts' (whose people `news_of` reads for a chunk at once).
RESOLVERS: dict[EventKind, Callable[[Organization, dict[str, Any]], News | None]] = {
    EventKind.FEEDBACK_RAISED: _feedback_raised,
    EventKind.FEEDBACK_ANSWERED: _feedback_answered,
    EventKind.RECOGNITION_GIVEN: _recognition,
    EventKind.INVITATION_ACCEPTED: _invitation_accepted,
    EventKind.JOB_FINISHED: _job_finished,
}


def news_of(organization: Organization, events: list[dict[str, Any]]) -> list[News | None]:
    """What each of `events` (as JSON, of one organization) tells whom, in order; None for an event
    that is not news for anyone. The alerts' people are read for all of them at once (the
    thousands one recompute may open); the other kinds, rare, each by its resolver."""
    alerts = [event for event in events if EventKind(event["kind"]) in ALERT_KINDS]
    users = _alert_users(organization, [_subject_of(event["data"]) for event in alerts]) if alerts else {}
    news: list[News | None] = []
    for event in events:
        kind = EventKind(event["kind"])
        if kind in ALERT_KINDS:
            news.append(_alert_news(organization, event["data"], kind == EventKind.ALERT_OPENED, users))
        else:
            resolver = RESOLVERS.get(kind)
            news.append(resolver(organization, event["data"]) if resolver else None)
    return news
