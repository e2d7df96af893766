"""POST feedback/{id}/acknowledge/, respond/ and resolve/: what each does, its errors, If-Match."""

import datetime

import pytest
from django.utils import timezone

from execgap.models import Role
from feedback.models import FeedbackItem, FeedbackStatus
from tests.api.resources.support import client_for, url
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db

EARLIER = timezone.make_aware(datetime.datetime(2027, 1, 4, 9, 0))


@pytest.fixture
def lead(member_as):
    return client_for(member_as(Role.LEAD))


def _stale_since(org):
    org.refresh_from_db()
    return org.scores_stale_since


def test_acknowledging_records_when_and_the_response(org, lead, growth_feedback):
    # when the team's lead acknowledges open feedback with a response
    response = lead.post(
        url(org, f"feedback/{growth_feedback.pk}/acknowledge/"),
        {"response": "Looking into it"},
        format="json",
    )
    # then it is acknowledged now, with the response, the new version as ETag, and the scores stale
    body = response.json()
    assert (response.status_code, body["status"], body["response"]) == (
        200,
        "acknowledged",
        "Looking into it",
    )
    assert body["acknowledged_at"] is not None
    assert body["resolved_at"] is None
    assert (body["version"], response["ETag"]) == (2, '"2"')
    assert _stale_since(org) is not None


def test_acknowledging_without_a_response_keeps_the_previous_one(org, lead, growth_feedback):
    # given feedback already responded to
    FeedbackItem.objects.filter(pk=growth_feedback.pk).update(response="Earlier answer")
    # when the lead acknowledges it with no body
    response = lead.post(url(org, f"feedback/{growth_feedback.pk}/acknowledge/"))
    # then the response stays
    assert (response.status_code, response.json()["response"]) == (200, "Earlier answer")


def test_responding_sets_the_response_and_keeps_the_status(org, lead, growth_feedback):
    # when the lead responds
    response = lead.post(
        url(org, f"feedback/{growth_feedback.pk}/respond/"), {"response": "Tomorrow"}, format="json"
    )
    # then the response is set and the feedback is still open
    assert (response.status_code, response.json()["response"], response.json()["status"]) == (
        200,
        "Tomorrow",
        "open",
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"response": ["This field is required."]}),
        ({"response": ""}, {"response": ["This field may not be blank."]}),
        ({"response": "   "}, {"response": ["This field may not be blank."]}),
    ],
)
def test_a_response_needs_words(org, lead, growth_feedback, body, errors):
    # when the lead responds with nothing to say
    response = lead.post(url(org, f"feedback/{growth_feedback.pk}/respond/"), body, format="json")
    # then it is refused on `response` and nothing is written
    assert (response.status_code, response.json()) == (400, errors)
    growth_feedback.refresh_from_db()
    assert (growth_feedback.response, growth_feedback.version) == ("", 1)
    assert _stale_since(org) is None


def test_resolving_records_when_and_keeps_an_earlier_acknowledgement(org, lead, growth_feedback):
    # given feedback acknowledged earlier
    FeedbackItem.objects.filter(pk=growth_feedback.pk).update(
        status=FeedbackStatus.ACKNOWLEDGED, acknowledged_at=EARLIER
    )
    # when the lead resolves it with a response
    response = lead.post(
        url(org, f"feedback/{growth_feedback.pk}/resolve/"), {"response": "Fixed"}, format="json"
    )
    # then it is resolved now; the acknowledgement keeps its time
    body = response.json()
    assert (response.status_code, body["status"], body["response"]) == (200, "resolved", "Fixed")
    assert body["resolved_at"] is not None
    assert body["acknowledged_at"] == "2027-01-04T09:00:00Z"


def test_resolved_feedback_is_not_acknowledged_again(org, lead, growth_feedback):
    # given resolved feedback
    FeedbackItem.objects.filter(pk=growth_feedback.pk).update(
        status=FeedbackStatus.RESOLVED, resolved_at=EARLIER
    )
    # when the lead acknowledges it
    response = lead.post(
        url(org, f"feedback/{growth_feedback.pk}/acknowledge/"), {"response": "Oops"}, format="json"
    )
    # then it is refused on `status` and stays resolved, without the response
    assert (response.status_code, response.json()) == (
        400,
        {"status": ["This feedback is resolved already: it cannot go back to acknowledged."]},
    )
    growth_feedback.refresh_from_db()
    assert (growth_feedback.status, growth_feedback.response, growth_feedback.version) == ("resolved", "", 1)


@pytest.mark.parametrize(
    ("answer", "body"),
    [("acknowledge", {}), ("respond", {"response": "On it"}), ("resolve", {"response": "Done"})],
)
def test_an_answer_with_the_current_version_is_made(org, lead, growth_feedback, answer, body):
    # when the lead answers, sending the version they read
    response = lead.post(
        url(org, f"feedback/{growth_feedback.pk}/{answer}/"), body, format="json", HTTP_IF_MATCH='"1"'
    )
    # then it is written
    assert (response.status_code, response.json()["version"]) == (200, 2)


@pytest.mark.parametrize(
    ("answer", "body"),
    [("acknowledge", {}), ("respond", {"response": "On it"}), ("resolve", {"response": "Done"})],
)
def test_a_stale_answer_is_refused_and_changes_nothing(org, lead, growth_feedback, answer, body):
    # given feedback someone edited since the lead read it (version 2)
    FeedbackItem.objects.filter(pk=growth_feedback.pk).update(version=2)
    # when the lead answers as of version 1
    response = lead.post(
        url(org, f"feedback/{growth_feedback.pk}/{answer}/"), body, format="json", HTTP_IF_MATCH='"1"'
    )
    # then it is refused with the current version, and nothing changes
    assert (response.status_code, response.json()["current_version"]) == (412, 2)
    growth_feedback.refresh_from_db()
    assert (growth_feedback.status, growth_feedback.response, growth_feedback.version) == ("open", "", 2)
    assert _stale_since(org) is None


@pytest.mark.parametrize("answer", ["acknowledge", "respond", "resolve"])
def test_another_organizations_feedback_is_not_found(org, other_org, lead, answer):
    # given feedback of Globex
    theirs = FeedbackItemFactory(organization=other_org)
    # when the lead of Acme answers it through Acme
    response = lead.post(url(org, f"feedback/{theirs.pk}/{answer}/"), {"response": "Mine"}, format="json")
    # then it does not exist for them
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.version) == ("open", 1)
