"""Bad input to check-ins/, feedback/ and recognitions/ answers 400 field by field and writes nothing.

Times that describe the past (a check-in's date, feedback's and recognitions' times) are written
as given, so history can be loaded.
"""

import datetime

import pytest
from django.utils import timezone

from execgap.models import Role
from feedback.models import CheckIn, FeedbackItem, Recognition
from tests.api.resources.support import client_for, url
from tests.conftest import person_of
from tests.factories import CheckInFactory, FeedbackItemFactory, PersonFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321
EXACTLY_ONE = ["A check-in is on exactly one objective, initiative or key result."]


@pytest.fixture
def client(executive):
    return client_for(executive)


def _row_id(request, value):
    """The id of the fixture a parameter names ("growth_objective", ...), else the value itself."""
    fixtures = ("growth_objective", "growth_initiative", "key_result")
    return request.getfixturevalue(value).pk if value in fixtures else value


def _first_messages(response):
    """Each field's first message (the model's own check comes before the database constraint's)."""
    return {field: messages[:1] for field, messages in response.json().items()}


def _stale_since(org):
    org.refresh_from_db()
    return org.scores_stale_since


# --- check-ins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"confidence": 5}, {"non_field_errors": EXACTLY_ONE}),
        (
            {"objective": "growth_objective", "initiative": "growth_initiative"},
            {"non_field_errors": EXACTLY_ONE},
        ),
        ({"objective": "growth_objective", "key_result": "key_result"}, {"non_field_errors": EXACTLY_ONE}),
        ({"objective": MISSING}, {"objective": [f'Invalid pk "{MISSING}" - object does not exist.']}),
        ({"key_result": MISSING}, {"key_result": [f'Invalid pk "{MISSING}" - object does not exist.']}),
        (
            {"objective": "growth_objective", "confidence": 11},
            {"confidence": ["Ensure this value is less than or equal to 10."]},
        ),
        (
            {"objective": "growth_objective", "confidence": -1},
            {"confidence": ["Ensure this value is greater than or equal to 0."]},
        ),
        ({"objective": "growth_objective", "value": "lots"}, {"value": ["A valid number is required."]}),
        (
            {"objective": "growth_objective", "date": "yesterday"},
            {"date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        (
            {"objective": "growth_objective", "author": MISSING},
            {"author": [f'Invalid pk "{MISSING}" - object does not exist.']},
        ),
    ],
)
def test_a_bad_check_in_is_refused_field_by_field(
    org, client, request, growth_objective, growth_initiative, key_result, body, errors
):
    body = {key: _row_id(request, value) for key, value in body.items()}
    # when an executive checks in from bad input
    response = client.post(url(org, "check-ins/"), body, format="json")
    # then each bad field is named with its message; nothing is written and the scores stay fresh
    assert (response.status_code, _first_messages(response)) == (400, errors)
    assert not CheckIn.objects.for_org(org).exists()
    assert _stale_since(org) is None


def test_a_check_in_describes_the_day_it_is_given(org, client, key_result):
    # when an executive loads a check-in of last January
    response = client.post(
        url(org, "check-ins/"),
        {
            "key_result": key_result.pk,
            "date": "2027-01-15",
            "value": "420",
            "confidence": 8,
            "note": "On track",
        },
        format="json",
    )
    # then it is stored for that day, value and all
    assert response.status_code == 201
    stored = CheckIn.objects.for_org(org).get(pk=response.json()["id"])
    assert (stored.date, stored.value, stored.confidence, stored.note) == (
        datetime.date(2027, 1, 15), 420, 8, "On track",
    )  # fmt: skip
    assert _stale_since(org) is not None


def test_a_bad_change_leaves_the_check_in_as_it_was(org, client, growth_objective, growth_initiative):
    # given a check-in on an objective
    check_in = CheckInFactory(organization=org, objective=growth_objective)
    # when an executive also points it at an initiative
    response = client.patch(
        url(org, f"check-ins/{check_in.pk}/"), {"initiative": growth_initiative.pk}, format="json"
    )
    # then it is refused and stays on the objective alone
    assert (response.status_code, _first_messages(response)) == (400, {"non_field_errors": EXACTLY_ONE})
    check_in.refresh_from_db()
    assert (check_in.objective_id, check_in.initiative_id, check_in.version) == (growth_objective.pk, None, 1)


# --- feedback ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"text": "Slow builds"}, {"kind": ["This field is required."]}),
        ({"kind": "rant", "text": "Slow builds"}, {"kind": ['"rant" is not a valid choice.']}),
        ({"kind": "risk"}, {"text": ["This field is required."]}),
        ({"kind": "risk", "text": ""}, {"text": ["This field may not be blank."]}),
        ({"kind": "risk", "text": "x", "status": "closed"}, {"status": ['"closed" is not a valid choice.']}),
        ({"kind": "risk", "text": "x", "initiative": MISSING}, {
            "initiative": [f'Invalid pk "{MISSING}" - object does not exist.']
        }),
        ({"kind": "risk", "text": "x", "objective": "growth_objective", "initiative": "growth_initiative"}, {
            "initiative": ["Feedback is about an objective or an initiative, not both."]
        }),
        ({"kind": "risk", "text": "x", "created_at": "last week"}, {
            "created_at": [
                "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
            ]
        }),
    ],
)  # fmt: skip
def test_bad_feedback_is_refused_field_by_field(
    org, client, request, growth_objective, growth_initiative, body, errors
):
    body = {key: _row_id(request, value) for key, value in body.items()}
    # when an executive raises feedback from bad input
    response = client.post(url(org, "feedback/"), body, format="json")
    # then each bad field is named with its message and nothing is written
    assert (response.status_code, response.json()) == (400, errors)
    assert not FeedbackItem.objects.for_org(org).exists()
    assert _stale_since(org) is None


def test_past_feedback_is_loaded_with_its_times(org, client, growth_initiative):
    # when an executive loads a blocker raised, acknowledged and resolved last January
    response = client.post(
        url(org, "feedback/"),
        {
            "kind": "blocker", "initiative": growth_initiative.pk, "text": "No staging", "status": "resolved",
            "response": "Staging is up", "created_at": "2027-01-04T09:00:00Z",
            "acknowledged_at": "2027-01-05T10:00:00Z", "resolved_at": "2027-01-08T17:30:00Z",
        },
        format="json",
    )  # fmt: skip
    # then it is stored with those times
    assert response.status_code == 201
    stored = FeedbackItem.objects.for_org(org).get(pk=response.json()["id"])
    utc = datetime.UTC
    assert (stored.status, stored.created_at, stored.acknowledged_at, stored.resolved_at) == (
        "resolved",
        datetime.datetime(2027, 1, 4, 9, 0, tzinfo=utc),
        datetime.datetime(2027, 1, 5, 10, 0, tzinfo=utc),
        datetime.datetime(2027, 1, 8, 17, 30, tzinfo=utc),
    )


def test_feedback_raised_now_is_open_and_dated_now(org, client):
    before = timezone.now()
    # when an executive raises an idea with kind and text only
    response = client.post(url(org, "feedback/"), {"kind": "idea", "text": "Dark mode"}, format="json")
    # then it is open, theirs, and created now
    body = response.json()
    assert (response.status_code, body["status"], body["acknowledged_at"], body["resolved_at"]) == (
        201, "open", None, None,
    )  # fmt: skip
    assert FeedbackItem.objects.get(pk=body["id"]).created_at >= before


def test_a_bad_change_leaves_the_feedback_as_it_was(org, client):
    # given a blocker
    item = FeedbackItemFactory(organization=org, text="No staging")
    # when an executive changes it to an unknown kind
    response = client.patch(
        url(org, f"feedback/{item.pk}/"), {"kind": "rant", "text": "Changed"}, format="json"
    )
    # then nothing changes, not even the valid field
    assert (response.status_code, response.json()) == (400, {"kind": ['"rant" is not a valid choice.']})
    item.refresh_from_db()
    assert (item.kind, item.text, item.version) == ("blocker", "No staging", 1)


# --- recognitions ------------------------------------------------------------------------------


def test_nobody_recognizes_themselves(org, executive, client):
    # when an executive recognizes their own person
    response = client.post(
        url(org, "recognitions/"),
        {"to_person": person_of(executive).pk, "message": "Well done me"},
        format="json",
    )
    # then it is refused on `to_person`
    assert (response.status_code, response.json()) == (
        400,
        {"to_person": ["Recognize someone other than yourself."]},
    )
    assert not Recognition.objects.for_org(org).exists()


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"to_person": None}, {"to_person": ["This field may not be null."]}),
        ({"to_person": MISSING}, {"to_person": [f'Invalid pk "{MISSING}" - object does not exist.']}),
        ({"message": ""}, {"message": ["This field may not be blank."]}),
        ({"objective": "growth_objective", "initiative": "growth_initiative"}, {
            "initiative": ["A recognition is tied to an objective or an initiative, not both."]
        }),
        ({"created_at": "a while ago"}, {"created_at": [
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        ]}),
    ],
)  # fmt: skip
def test_a_bad_recognition_is_refused_field_by_field(
    org, client, request, growth_objective, growth_initiative, change, errors
):
    body = {"to_person": PersonFactory(organization=org).pk, "message": "Thanks"} | {
        key: request.getfixturevalue(value).pk
        if value in ("growth_objective", "growth_initiative")
        else value
        for key, value in change.items()
    }
    # when an executive gives recognition from bad input
    response = client.post(url(org, "recognitions/"), body, format="json")
    # then each bad field is named with its message and nothing is written
    assert (response.status_code, response.json()) == (400, errors)
    assert not Recognition.objects.for_org(org).exists()


def test_an_executive_without_a_person_record_names_the_giver(org, member_of):
    # given an executive with no person record in the organization
    client = client_for(member_of(Role.EXECUTIVE, person=False))
    ada = PersonFactory(organization=org, name="Ada")
    # when they thank Ada without naming who gives it
    response = client.post(
        url(org, "recognitions/"), {"to_person": ada.pk, "message": "Thanks"}, format="json"
    )
    # then the giver is required
    assert (response.status_code, response.json()) == (400, {"from_person": ["This field is required."]})
    assert not Recognition.objects.for_org(org).exists()


def test_a_member_without_a_person_record_is_told_to_get_one(org, member_of):
    # given a member with no person record in the organization
    client = client_for(member_of(Role.MEMBER, person=False))
    ada = PersonFactory(organization=org, name="Ada")
    # when they thank Ada
    response = client.post(
        url(org, "recognitions/"), {"to_person": ada.pk, "message": "Thanks"}, format="json"
    )
    # then they learn why they cannot
    assert (response.status_code, response.json()) == (
        400,
        {
            "from_person": [
                "You may only give recognition as yourself. You have no person record in this "
                "organization: ask an admin to add one."
            ]
        },
    )
    assert not Recognition.objects.for_org(org).exists()


# --- as someone else ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "field", "body", "message"),
    [
        ("check-ins", "author", {"objective": "growth_objective"}, "You may only check in as yourself."),
        ("feedback", "author", {"kind": "risk", "text": "x"}, "You may only raise feedback as yourself."),
        ("recognitions", "from_person", {"message": "Thanks"}, "You may only give recognition as yourself."),
    ],
)
def test_a_member_writes_only_as_themselves(
    org, request, member_of, growth_objective, path, field, body, message
):
    # given a member, Ada and Bob
    client = client_for(member_of(Role.MEMBER))
    ada, bob = PersonFactory(organization=org, name="Ada"), PersonFactory(organization=org, name="Bob")
    body = {key: _row_id(request, value) for key, value in body.items()} | {field: ada.pk}
    if path == "recognitions":
        body["to_person"] = bob.pk
    # when the member writes as Ada
    response = client.post(url(org, f"{path}/"), body, format="json")
    # then it is refused on the person field and nothing is written
    assert (response.status_code, response.json()) == (400, {field: [message]})
    assert (CheckIn.objects.count(), FeedbackItem.objects.count(), Recognition.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize(
    ("path", "field", "body"),
    [
        ("check-ins", "author", {"objective": "growth_objective"}),
        ("feedback", "author", {"kind": "risk", "text": "x"}),
        ("recognitions", "from_person", {"message": "Thanks"}),
    ],
)
@pytest.mark.parametrize("role", [Role.LEAD, Role.EXECUTIVE, Role.ADMIN])
def test_leads_and_up_record_for_someone_else(
    org, request, member_as, growth_objective, path, field, body, role
):
    # given a lead, an executive or an admin, Ada and Bob
    client = client_for(member_as(role))
    ada, bob = PersonFactory(organization=org, name="Ada"), PersonFactory(organization=org, name="Bob")
    body = {key: _row_id(request, value) for key, value in body.items()} | {field: ada.pk}
    if path == "recognitions":
        body["to_person"] = bob.pk
    # when they record it as Ada's
    response = client.post(url(org, f"{path}/"), body, format="json")
    # then it is Ada's
    assert (response.status_code, response.json()[field]) == (201, ada.pk)


def test_a_past_recognition_keeps_its_time(org, client):
    # when an executive loads a recognition of last January
    response = client.post(
        url(org, "recognitions/"),
        {
            "to_person": PersonFactory(organization=org).pk,
            "message": "Launch",
            "created_at": "2027-01-20T12:00:00Z",
        },
        format="json",
    )
    # then it keeps that time, and the scores (which do not read recognitions) stay fresh
    assert (response.status_code, response.json()["created_at"]) == (201, "2027-01-20T12:00:00Z")
    assert _stale_since(org) is None
