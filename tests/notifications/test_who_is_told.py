"""Who is told of what: each event reaches the people it concerns, never its actor, never twice,
on the channel each chose."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail

from execgap.events import Event, EventKind, publish
from execgap.models import Job, JobKind, JobState, Role
from feedback import services as feedback_services
from feedback.models import FeedbackKind
from notifications import services, subscribers
from notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from notifications.tasks import notify_task
from tests.conftest import person_of
from tests.factories import FeedbackItemFactory, InitiativeFactory, KeyResultFactory

pytestmark = pytest.mark.django_db


def _recipients(kind: NotificationKind | None = None) -> set[str]:
    rows = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return set(rows.values_list("recipient__username", flat=True))


def _event(kind: EventKind, org, data: dict, actor=None) -> dict:
    return Event(kind=kind, organization_id=org.pk, data=data, actor_user_id=actor).as_json()


def _tell(kind: EventKind, org, data: dict, actor=None) -> int:
    """Tell the people of one event (as the notification task does); the rows made."""
    return services.notify_events([{"event": _event(kind, org, data), "actor_user_id": actor}])


def test_a_blocker_raised_tells_the_goal_owner_and_the_team_lead_not_its_author(
    org, growth, django_capture_on_commit_callbacks
):
    # given Mia, a member of Growth, and Growth's objective owned by Omar
    # when Mia raises a blocker on the objective (the service publishes the event on commit; the
    # notification task runs eagerly here)
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.feedback_create(
            actor=growth.member,
            data={"kind": FeedbackKind.BLOCKER, "text": "No test data", "objective": growth.objective},
        )
    # then Omar (the owner) and Lena (the lead) are told, and Mia is not
    assert _recipients() == {growth.owner.user.username, growth.lead.user.username}
    notification = Notification.objects.get(recipient=growth.lead.user)
    assert notification.kind == NotificationKind.FEEDBACK_RAISED
    assert notification.title == f"{person_of(growth.member).name} raised a blocker"
    assert notification.url_path.startswith(f"/o/{org.slug}/feedback/")
    # and by default a blocker is in the app and by email too (the batch's send runs at once when
    # tasks run eagerly, as here)
    assert notification.in_app
    assert notification.emailed_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == ["lena@example.com", "omar@example.com"]


def test_the_lead_raising_a_blocker_on_their_own_team_is_not_told_of_it(
    org, growth, django_capture_on_commit_callbacks
):
    # when Lena, the lead, raises the blocker herself
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.feedback_create(
            actor=growth.lead,
            data={"kind": FeedbackKind.BLOCKER, "text": "Vendor late", "objective": growth.objective},
        )
    # then only Omar, the owner, is told
    assert _recipients() == {growth.owner.user.username}


def test_an_answer_tells_the_author_of_the_feedback(org, growth, django_capture_on_commit_callbacks):
    # given Mia's blocker on Growth's objective
    item = FeedbackItemFactory(organization=org, objective=growth.objective, author=person_of(growth.member))
    # when Lena answers it
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.feedback_respond(actor=growth.lead, item=item, response="Booked the vendor")
    # then Mia is told, with the answer as the body
    notification = Notification.objects.get(kind=NotificationKind.FEEDBACK_ANSWERED)
    assert notification.recipient == growth.member.user
    assert notification.body == "Booked the vendor"
    assert notification.title.endswith("answered your blocker")


def test_a_recognition_tells_the_person_recognized(org, growth, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.recognition_create(
            actor=growth.lead, data={"to_person": person_of(growth.member), "message": "Great demo"}
        )
    assert _recipients(NotificationKind.RECOGNITION) == {growth.member.user.username}
    assert Notification.objects.get().title == f"{person_of(growth.lead).name} recognized you"


def test_an_alert_on_an_initiative_tells_its_owner_and_its_teams_lead(org, growth):
    # given an initiative of Growth owned by Omar
    initiative = InitiativeFactory(
        organization=org, objective=growth.objective, team=growth.team, owner=person_of(growth.owner)
    )
    data = {
        "subject": {"kind": "initiative", "id": initiative.pk, "title": initiative.title},
        "message": "Late",
    }
    # when an alert opens on it (raised by the system: no actor)
    made = _tell(EventKind.ALERT_OPENED, org, data)
    # then both are told
    assert made == 2
    assert _recipients(NotificationKind.ALERT) == {growth.owner.user.username, growth.lead.user.username}
    assert Notification.objects.first().title == f"Alert opened: {initiative.title}"


def test_an_alert_on_the_organizations_scores_tells_its_executives_and_admins(org, growth, admin):
    data = {"subject": {"kind": "organization", "id": org.pk, "title": "Resources"}, "message": "Below 60"}
    _tell(EventKind.ALERT_RESOLVED, org, data)
    assert _recipients() == {growth.executive.user.username, admin.user.username}


def test_an_alert_on_a_person_tells_them_and_their_lead(org, growth):
    data = {
        "subject": {"kind": "person", "id": person_of(growth.member).pk, "title": "Mia"},
        "message": "Over",
    }
    _tell(EventKind.ALERT_OPENED, org, data)
    assert _recipients() == {growth.member.user.username, growth.lead.user.username}


def test_an_event_redelivered_tells_nobody_twice(org, growth):
    # given one event (one id) delivered twice, as a redelivered task would
    data = {"subject": {"kind": "team", "id": growth.team.pk, "title": "Growth"}, "message": "Alignment 40"}
    event = _event(EventKind.ALERT_OPENED, org, data)
    services.notify_events([{"event": event, "actor_user_id": None}])
    services.notify_events([{"event": event, "actor_user_id": None}])
    # then the lead has one notification
    assert Notification.objects.filter(recipient=growth.lead.user).count() == 1


def test_a_burst_of_alerts_goes_to_the_broker_a_chunk_of_events_a_task(
    org, growth, monkeypatch, django_capture_on_commit_callbacks
):
    # given tasks that take 2 events each, and the sizes of the tasks enqueued recorded
    monkeypatch.setattr(subscribers, "EVENTS_PER_TASK", 2)
    sizes: list[int] = []

    def enqueued(events: list[dict]) -> int:
        sizes.append(len(events))
        return notify_task(events)

    monkeypatch.setattr(notify_task, "delay", enqueued)
    # when one recompute opens 5 alerts on Mia (published together)
    mia = {"kind": "person", "id": person_of(growth.member).pk, "title": "Mia"}
    burst = [
        Event(
            kind=EventKind.ALERT_OPENED, organization_id=org.pk, data={"subject": mia, "message": f"Over {n}"}
        )
        for n in range(5)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        publish(*burst)
    # then 3 tasks carry them (2, 2 and 1), and each alert reaches Mia and her lead once
    assert sizes == [2, 2, 1]
    assert Notification.objects.filter(recipient=growth.member.user).count() == 5
    assert Notification.objects.filter(recipient=growth.lead.user).count() == 5


def test_a_person_who_chose_neither_is_not_told(org, growth):
    # given Lena chose no notification of alerts
    NotificationPreference.objects.create(
        organization=org, user=growth.lead.user, kind=NotificationKind.ALERT, channel=Channel.NONE
    )
    data = {"subject": {"kind": "team", "id": growth.team.pk, "title": "Growth"}, "message": "Alignment 40"}
    # when an alert opens on her team
    made = _tell(EventKind.ALERT_OPENED, org, data)
    # then nothing is made
    assert made == 0
    assert not Notification.objects.exists()


def test_email_only_is_not_in_the_inbox_but_waits_for_the_email(org, growth):
    NotificationPreference.objects.create(
        organization=org, user=growth.lead.user, kind=NotificationKind.ALERT, channel=Channel.EMAIL
    )
    data = {"subject": {"kind": "team", "id": growth.team.pk, "title": "Growth"}, "message": "Alignment 40"}
    _tell(EventKind.ALERT_OPENED, org, data)
    row = Notification.objects.get()
    assert (row.in_app, row.email_pending) == (False, True)


def test_a_finished_import_tells_who_started_it_and_links_to_its_page(org, growth):
    job = Job.objects.create(
        organization=org,
        kind=JobKind.TASK_IMPORT,
        state=JobState.SUCCEEDED,
        created_by=growth.lead.user,
        parameters={"options": {"team": growth.team.pk}},
    )
    data = {"job_id": job.pk, "kind": JobKind.TASK_IMPORT, "state": "succeeded", "error": ""}
    _tell(EventKind.JOB_FINISHED, org, data)
    row = Notification.objects.get()
    assert row.recipient == growth.lead.user
    assert row.title == "Your task import finished"
    assert row.url_path == f"/o/{org.slug}/teams/{growth.team.pk}/import/{job.pk}/"


def test_a_finished_recompute_is_news_for_nobody(org, growth):
    job = Job.objects.create(organization=org, kind=JobKind.RECOMPUTE, created_by=growth.lead.user)
    data = {"job_id": job.pk, "kind": JobKind.RECOMPUTE, "state": "succeeded"}
    assert _tell(EventKind.JOB_FINISHED, org, data) == 0


def test_an_accepted_invitation_tells_the_inviter(org, growth):
    data = {
        "invitation_id": 1,
        "email": "new@example.com",
        "role": Role.MEMBER,
        "user_id": 999,
        "invited_by_user_id": growth.lead.user_id,
    }
    _tell(EventKind.INVITATION_ACCEPTED, org, data, actor=999)
    assert Notification.objects.get().recipient == growth.lead.user


def test_someone_of_another_organization_is_never_told(org, other_org, growth, member_of):
    # given an event of one organization naming a user who is a member of another only
    stranger = member_of(Role.ADMIN, other_org)
    data = {
        "invitation_id": 1,
        "email": "x@example.com",
        "role": "member",
        "user_id": 1,
        "invited_by_user_id": stranger.user_id,
    }
    made = _tell(EventKind.INVITATION_ACCEPTED, org, data)
    # then nobody is told
    assert made == 0


def test_the_unique_event_id_is_kept_per_recipient():
    # an event id is the key of idempotency: two events never share one
    assert str(uuid.UUID(Event(kind=EventKind.JOB_FINISHED, organization_id=1, data={}).id))


def test_an_alert_on_a_key_result_tells_its_objectives_owner_and_lead(org, growth):
    key_result = KeyResultFactory(organization=org, objective=growth.objective, title="1,000 sign-ups")
    data = {
        "subject": {"kind": "key_result", "id": key_result.pk, "title": key_result.title},
        "message": "Behind",
    }
    _tell(EventKind.ALERT_OPENED, org, data)
    assert _recipients() == {growth.owner.user.username, growth.lead.user.username}


def test_an_alert_on_a_blocker_tells_the_lead_of_its_goals_team(org, growth):
    # given Mia's blocker on Growth's objective, unanswered long enough for an alert
    item = FeedbackItemFactory(organization=org, objective=growth.objective, author=person_of(growth.member))
    data = {
        "subject": {"kind": "feedback", "id": item.pk, "title": "No test data"},
        "message": "Unanswered 5 days",
    }
    _tell(EventKind.ALERT_OPENED, org, data)
    # then Lena, the lead of Growth, is told
    assert _recipients() == {growth.lead.user.username}


def test_a_failed_scenario_evaluation_tells_who_asked_with_the_error(org, growth):
    job = Job.objects.create(
        organization=org,
        kind=JobKind.SCENARIO_EVALUATION,
        state=JobState.FAILED,
        created_by=growth.executive.user,
        parameters={"scenario": 12},
    )
    data = {"job_id": job.pk, "kind": JobKind.SCENARIO_EVALUATION, "state": "failed", "error": "Plan changed"}
    _tell(EventKind.JOB_FINISHED, org, data)
    row = Notification.objects.get()
    assert (row.recipient, row.title, row.body) == (
        growth.executive.user,
        "Your scenario evaluation failed",
        "Plan changed",
    )
    assert row.url_path == f"/o/{org.slug}/scenarios/12/evaluation/"


def test_another_organizations_job_is_news_for_nobody_here(org, other_org, growth):
    # given a job of another organization named by an event of this one
    job = Job.objects.create(organization=other_org, kind=JobKind.TASK_IMPORT, created_by=growth.lead.user)
    data = {"job_id": job.pk, "kind": JobKind.TASK_IMPORT, "state": "succeeded"}
    made = _tell(EventKind.JOB_FINISHED, org, data)
    assert made == 0
