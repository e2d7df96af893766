"""Who may do what on check-ins/, feedback/ and recognitions/: every endpoint × every role.

Every member reads; members and up create (viewers do not); executives and admins change and
delete; leads answer their team's feedback, executives and admins any feedback.
Recognitions are never changed (405 for everyone).
"""

import pytest
from rest_framework.test import APIClient

from execgap.models import Role
from feedback.models import CheckIn, FeedbackItem, FeedbackStatus, Recognition
from tests.api.resources.support import ROLES, client_for, url
from tests.conftest import person_of
from tests.factories import CheckInFactory, FeedbackItemFactory, PersonFactory, RecognitionFactory

pytestmark = pytest.mark.django_db

MEMBERS_CREATE = [
    (Role.VIEWER, 403),
    (Role.MEMBER, 201),
    (Role.LEAD, 201),
    (Role.EXECUTIVE, 201),
    (Role.ADMIN, 201),
]
EXECUTIVES_CHANGE = [
    (Role.VIEWER, 403),
    (Role.MEMBER, 403),
    (Role.LEAD, 403),
    (Role.EXECUTIVE, 200),
    (Role.ADMIN, 200),
]
EXECUTIVES_DELETE = [
    (Role.VIEWER, 403),
    (Role.MEMBER, 403),
    (Role.LEAD, 403),
    (Role.EXECUTIVE, 204),
    (Role.ADMIN, 204),
]


@pytest.fixture
def rows(org, growth_objective, growth_feedback):
    """A check-in, a feedback item and a recognition."""
    return {
        "check-ins": CheckInFactory(organization=org, objective=growth_objective),
        "feedback": growth_feedback,
        "recognitions": RecognitionFactory(organization=org),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["check-ins", "feedback", "recognitions"])
def test_every_role_lists_and_reads(org, client_as, rows, role, path):
    client = client_as(role)
    row_id = rows[path].pk
    # when any member lists the rows and reads one
    listed = client.get(url(org, f"{path}/"))
    read = client.get(url(org, f"{path}/{row_id}/"))
    # then both answer 200
    assert (listed.status_code, read.status_code) == (200, 200)
    assert [row["id"] for row in listed.json()["results"]] == [row_id]
    assert read.json()["id"] == row_id


@pytest.mark.parametrize("path", ["check-ins", "feedback", "recognitions"])
def test_the_anonymous_are_refused(org, rows, path):
    # when someone without a token or session lists rows
    response = APIClient().get(url(org, f"{path}/"))
    # then they are told to authenticate
    assert response.status_code == 401


# --- check-ins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), MEMBERS_CREATE)
def test_who_checks_in(org, member_as, growth_objective, role, expected):
    membership = member_as(role)
    # when a member of each role checks in on an objective, naming no author
    response = client_for(membership).post(
        url(org, "check-ins/"), {"objective": growth_objective.pk, "confidence": 6}, format="json"
    )
    # then all but viewers check in, as themselves
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["author"] == person_of(membership).pk
    assert CheckIn.objects.for_org(org).exists() == (expected == 201)


@pytest.mark.parametrize(("role", "expected"), EXECUTIVES_CHANGE)
def test_who_changes_a_check_in(org, client_as, rows, role, expected):
    check_in = rows["check-ins"]
    # when a member of each role changes a check-in's confidence
    response = client_as(role).patch(url(org, f"check-ins/{check_in.pk}/"), {"confidence": 2}, format="json")
    # then only executives' and admins' changes are written
    assert response.status_code == expected
    check_in.refresh_from_db()
    assert check_in.confidence == (2 if expected == 200 else 7)


@pytest.mark.parametrize(("role", "expected"), EXECUTIVES_DELETE)
def test_who_deletes_a_check_in(org, client_as, rows, role, expected):
    check_in = rows["check-ins"]
    # when a member of each role deletes it
    response = client_as(role).delete(url(org, f"check-ins/{check_in.pk}/"))
    # then only executives and admins delete it
    assert response.status_code == expected
    assert CheckIn.objects.filter(pk=check_in.pk).exists() == (expected != 204)


# --- feedback ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), MEMBERS_CREATE)
def test_who_raises_feedback(org, client_as, growth_initiative, role, expected):
    # when a member of each role raises a risk about an initiative
    response = client_as(role).post(
        url(org, "feedback/"),
        {"kind": "risk", "initiative": growth_initiative.pk, "text": "Vendor may be late"},
        format="json",
    )
    # then all but viewers raise it
    assert response.status_code == expected
    assert FeedbackItem.objects.for_org(org).filter(kind="risk").exists() == (expected == 201)


@pytest.mark.parametrize(("role", "expected"), EXECUTIVES_CHANGE)
def test_who_changes_feedback(org, client_as, growth_feedback, role, expected):
    # when a member of each role (the team's lead too) edits the feedback's text
    response = client_as(role).patch(
        url(org, f"feedback/{growth_feedback.pk}/"), {"text": "Edited"}, format="json"
    )
    # then only executives' and admins' edits are written
    assert response.status_code == expected
    growth_feedback.refresh_from_db()
    assert growth_feedback.text == ("Edited" if expected == 200 else "No test data")


@pytest.mark.parametrize(("role", "expected"), EXECUTIVES_DELETE)
def test_who_deletes_feedback(org, client_as, growth_feedback, role, expected):
    # when a member of each role deletes the feedback
    response = client_as(role).delete(url(org, f"feedback/{growth_feedback.pk}/"))
    # then only executives and admins delete it
    assert response.status_code == expected
    assert FeedbackItem.objects.filter(pk=growth_feedback.pk).exists() == (expected != 204)


ANSWERS = [
    ("acknowledge", {}, FeedbackStatus.ACKNOWLEDGED),
    ("respond", {"response": "On it"}, FeedbackStatus.OPEN),
    ("resolve", {}, FeedbackStatus.RESOLVED),
]


@pytest.mark.parametrize(("answer", "body", "status"), ANSWERS)
@pytest.mark.parametrize(
    ("role", "feedback", "expected"),
    [
        (Role.VIEWER, "growth_feedback", 403),
        (Role.MEMBER, "growth_feedback", 403),
        (Role.LEAD, "growth_feedback", 200),
        (Role.LEAD, "platform_feedback", 403),
        (Role.EXECUTIVE, "platform_feedback", 200),
        (Role.ADMIN, "platform_feedback", 200),
    ],
)
def test_who_answers_feedback(org, client_as, request, answer, body, status, role, feedback, expected):
    # given open feedback about an initiative of Growth (the lead's team) or Platform
    item = request.getfixturevalue(feedback)
    # when a member of each role acknowledges, responds to or resolves it
    response = client_as(role).post(url(org, f"feedback/{item.pk}/{answer}/"), body, format="json")
    # then it is answered only where the role reaches the feedback's team
    assert response.status_code == expected
    item.refresh_from_db()
    assert (item.status, item.version) == ((status, 2) if expected == 200 else (FeedbackStatus.OPEN, 1))


@pytest.mark.parametrize("answer", ["acknowledge", "respond", "resolve"])
def test_a_lead_does_not_answer_feedback_about_no_team(org, client_as, answer):
    # given feedback about nothing in particular
    item = FeedbackItemFactory(organization=org, text="The coffee")
    # when a lead answers it
    response = client_as(Role.LEAD).post(
        url(org, f"feedback/{item.pk}/{answer}/"), {"response": "Hm"}, format="json"
    )
    # then it is not theirs to answer
    assert response.status_code == 403


# --- recognitions ------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), MEMBERS_CREATE)
def test_who_gives_recognition(org, member_as, role, expected):
    membership = member_as(role)
    ada = PersonFactory(organization=org, name="Ada")
    # when a member of each role thanks Ada, naming no giver
    response = client_for(membership).post(
        url(org, "recognitions/"), {"to_person": ada.pk, "message": "Thanks for the demo"}, format="json"
    )
    # then all but viewers give it, as themselves
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["from_person"] == person_of(membership).pk
    assert Recognition.objects.for_org(org).filter(to_person=ada).exists() == (expected == 201)


@pytest.mark.parametrize(("role", "expected"), EXECUTIVES_DELETE)
def test_who_deletes_a_recognition(org, client_as, rows, role, expected):
    recognition = rows["recognitions"]
    # when a member of each role deletes it
    response = client_as(role).delete(url(org, f"recognitions/{recognition.pk}/"))
    # then only executives and admins delete it
    assert response.status_code == expected
    assert Recognition.objects.filter(pk=recognition.pk).exists() == (expected != 204)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["put", "patch"])
def test_nobody_changes_a_recognition(org, client_as, rows, role, method):
    recognition = rows["recognitions"]
    # when a member of any role changes a recognition's message
    response = getattr(client_as(role), method)(
        url(org, f"recognitions/{recognition.pk}/"), {"message": "Changed"}, format="json"
    )
    # then there is no such operation
    assert response.status_code == 405
    recognition.refresh_from_db()
    assert recognition.message == "Thank you"
