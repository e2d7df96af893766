import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from execgap.models import Role
from execgap.services import StaleVersionError
from feedback.models import CheckIn, Recognition
from feedback.services import (
    check_in_create,
    check_in_delete,
    check_in_update,
    recognition_create,
    recognition_delete,
)
from tests.conftest import person_of
from tests.factories import (
    CheckInFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
)

pytestmark = pytest.mark.django_db

# Members may check in, raise feedback and give recognition only as themselves: the rule table
# must grant members `Scope.OWN` (not `Scope.ANY`) for creating those rows.


def _stale_since(org):
    org.refresh_from_db()
    return org.scores_stale_since


@pytest.fixture
def member(member_of):
    return member_of(Role.MEMBER)


@pytest.fixture
def initiative(org):
    return InitiativeFactory(organization=org)


# --- check-ins -----------------------------------------------------------------------------------


def test_a_member_checks_in_as_themselves_by_default(member, org, initiative):
    # when a member checks in on an initiative without naming the author
    check_in = check_in_create(
        actor=member,
        data={"initiative": initiative, "value": Decimal("42.5"), "confidence": 7, "note": "On track"},
    )
    # then the check-in is theirs, stored as given, and the scores are marked stale
    stored = CheckIn.objects.for_org(org).get(pk=check_in.pk)
    assert stored.author == person_of(member)
    assert (stored.initiative, stored.value, stored.confidence, stored.note) == (
        initiative,
        Decimal("42.5"),
        7,
        "On track",
    )
    assert stored.date == datetime.date.today()
    assert _stale_since(org) is not None


@pytest.mark.parametrize("target", ["objective", "key_result"])
def test_a_check_in_may_be_on_an_objective_or_a_key_result(member, org, target):
    # given an objective and one of its key results
    key_result = KeyResultFactory(organization=org)
    goals = {"objective": key_result.objective, "key_result": key_result}
    # when a member checks in on one of them, naming themselves
    check_in = check_in_create(
        actor=member, data={target: goals[target], "author": person_of(member), "confidence": 0}
    )
    # then it is stored on that goal, confidence 0 being a valid confidence
    assert getattr(CheckIn.objects.for_org(org).get(pk=check_in.pk), target) == goals[target]


def test_an_executive_records_a_check_in_for_someone_else(executive, org, initiative):
    # given a colleague
    colleague = PersonFactory(organization=org)
    # when an executive records a check-in by that colleague
    check_in = check_in_create(actor=executive, data={"initiative": initiative, "author": colleague})
    # then the colleague is its author
    assert CheckIn.objects.for_org(org).get(pk=check_in.pk).author == colleague


def test_a_member_may_not_check_in_as_someone_else(member, org, initiative):
    # given a colleague
    colleague = PersonFactory(organization=org)
    # when a member checks in naming the colleague as author
    with pytest.raises(ValidationError) as refused:
        check_in_create(actor=member, data={"initiative": initiative, "author_id": colleague.pk})
    # then the author is refused, and nothing is written
    assert refused.value.message_dict == {"author": ["You may only check in as yourself."]}
    assert not CheckIn.objects.for_org(org).exists()
    assert _stale_since(org) is None


def test_a_member_without_a_person_record_is_told_why_they_cannot_check_in(member_of, org, initiative):
    # given a member who has no person record
    member = member_of(Role.MEMBER, person=False)
    # when they check in
    with pytest.raises(ValidationError) as refused:
        check_in_create(actor=member, data={"initiative": initiative})
    # then the author field explains it, and nothing is written
    assert "no person record" in refused.value.message_dict["author"][0]
    assert not CheckIn.objects.for_org(org).exists()


@pytest.mark.parametrize("confidence", [-1, 11])
def test_confidence_is_from_0_to_10(member, org, initiative, confidence):
    # when a member checks in with a confidence outside 0 to 10
    with pytest.raises(ValidationError) as refused:
        check_in_create(actor=member, data={"initiative": initiative, "confidence": confidence})
    # then it is refused on `confidence`, and nothing is written
    assert list(refused.value.message_dict) == ["confidence"]
    assert not CheckIn.objects.for_org(org).exists()
    assert _stale_since(org) is None


@pytest.mark.parametrize("targets", [(), ("objective", "initiative")], ids=["none", "two"])
def test_a_check_in_is_on_exactly_one_goal(member, org, initiative, targets):
    # given an objective and an initiative
    goals = {"objective": ObjectiveFactory(organization=org), "initiative": initiative}
    # when a member checks in on none or two of them
    with pytest.raises(ValidationError) as refused:
        check_in_create(actor=member, data={name: goals[name] for name in targets})
    # then it is refused as a whole, and nothing is written
    assert (
        "A check-in is on exactly one objective, initiative or key result."
        in refused.value.message_dict[NON_FIELD_ERRORS]
    )
    assert not CheckIn.objects.for_org(org).exists()
    assert _stale_since(org) is None


@pytest.mark.parametrize("link", ["objective", "author"])
def test_a_check_in_cannot_link_to_another_organizations_rows(member, org, other_org, initiative, link):
    # given an objective and a person of another organization
    foreign = {
        "objective": ObjectiveFactory(organization=other_org),
        "author": PersonFactory(organization=other_org),
    }
    data = {"initiative": initiative} if link == "author" else {}
    # when a member checks in linking to one of them
    with pytest.raises(ValidationError) as refused:
        check_in_create(actor=member, data={**data, link: foreign[link]})
    # then the link is refused, and nothing is written
    assert link in refused.value.message_dict
    assert not CheckIn.objects.exists()
    assert _stale_since(org) is None


def test_a_viewer_does_not_check_in(member_of, org, initiative):
    # given a viewer with a person record
    viewer = member_of(Role.VIEWER)
    # when they check in
    with pytest.raises(PermissionDenied):
        check_in_create(actor=viewer, data={"initiative": initiative})
    # then nothing is written
    assert not CheckIn.objects.for_org(org).exists()


def test_an_executive_corrects_a_check_in(executive, org, initiative):
    # given a check-in with confidence 7
    check_in = CheckInFactory(organization=org, initiative=initiative)
    # when an executive changes its confidence, having read version 1
    check_in_update(actor=executive, check_in=check_in, data={"confidence": 3}, expected_version=1)
    # then it is stored at version 2, and the scores are marked stale
    check_in.refresh_from_db()
    assert (check_in.confidence, check_in.version) == (3, 2)
    assert _stale_since(org) is not None


def test_a_stale_check_in_edit_is_refused(executive, org, initiative):
    # given a check-in someone already changed
    check_in = CheckInFactory(organization=org, initiative=initiative, version=2)
    # when an executive saves an edit made on version 1
    with pytest.raises(StaleVersionError):
        check_in_update(actor=executive, check_in=check_in, data={"confidence": 1}, expected_version=1)
    # then it is unchanged
    check_in.refresh_from_db()
    assert (check_in.confidence, check_in.version) == (7, 2)
    assert _stale_since(org) is None


def test_an_admin_deletes_a_check_in(admin, org, initiative):
    # given a check-in
    check_in = CheckInFactory(organization=org, initiative=initiative)
    # when an admin deletes it
    check_in_delete(actor=admin, check_in=check_in)
    # then it is gone, and the scores are marked stale
    assert not CheckIn.objects.for_org(org).exists()
    assert _stale_since(org) is not None


@pytest.mark.parametrize("role", [Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_executives_and_admins_change_or_delete_check_ins(member_of, org, initiative, role):
    # given a check-in by the actor themselves
    actor = member_of(role)
    check_in = CheckInFactory(organization=org, initiative=initiative, author=person_of(actor))
    # when they change or delete it
    with pytest.raises(PermissionDenied):
        check_in_update(actor=actor, check_in=check_in, data={"confidence": 1})
    with pytest.raises(PermissionDenied):
        check_in_delete(actor=actor, check_in=check_in)
    # then it is unchanged
    check_in.refresh_from_db()
    assert (check_in.confidence, check_in.version) == (7, 1)
    assert _stale_since(org) is None


# --- recognitions --------------------------------------------------------------------------------


def test_a_member_recognizes_a_colleague_and_the_scores_stay_current(member, org, initiative):
    # given a colleague
    colleague = PersonFactory(organization=org)
    # when a member recognizes them for an initiative, without naming the giver
    recognition = recognition_create(
        actor=member, data={"to_person": colleague, "initiative": initiative, "message": "Great demo"}
    )
    # then it is given by the member, and the scores (which do not read it) stay current
    stored = Recognition.objects.for_org(org).get(pk=recognition.pk)
    assert (stored.from_person, stored.to_person, stored.initiative, stored.message) == (
        person_of(member),
        colleague,
        initiative,
        "Great demo",
    )
    assert _stale_since(org) is None


@pytest.mark.parametrize(
    ("bad", "field"),
    [("self", "to_person"), ("foreign", "to_person"), ("two goals", "initiative"), ("no message", "message")],
)
def test_a_bad_recognition_is_refused_on_its_field(member, org, other_org, initiative, bad, field):
    # given a colleague, and bad input of each kind
    data = {"to_person": PersonFactory(organization=org), "message": "Thanks"}
    data |= {
        "self": {"to_person": person_of(member)},
        "foreign": {"to_person": PersonFactory(organization=other_org)},
        "two goals": {"objective": ObjectiveFactory(organization=org), "initiative": initiative},
        "no message": {"message": ""},
    }[bad]
    # when a member gives the recognition
    with pytest.raises(ValidationError) as refused:
        recognition_create(actor=member, data=data)
    # then it is refused on the field, and nothing is written
    assert field in refused.value.message_dict
    assert not Recognition.objects.exists()


def test_a_member_may_not_give_recognition_as_someone_else(member, org):
    # given two colleagues
    giver, receiver = PersonFactory(organization=org), PersonFactory(organization=org)
    # when a member gives recognition in the name of one to the other
    with pytest.raises(ValidationError) as refused:
        recognition_create(actor=member, data={"from_person": giver, "to_person": receiver, "message": "Hi"})
    # then the giver is refused, and nothing is written
    assert refused.value.message_dict == {"from_person": ["You may only give recognition as yourself."]}
    assert not Recognition.objects.exists()


def test_a_viewer_does_not_give_recognition(member_of, org):
    # given a viewer with a person record
    viewer = member_of(Role.VIEWER)
    # when they recognize someone
    with pytest.raises(PermissionDenied):
        recognition_create(actor=viewer, data={"to_person": PersonFactory(organization=org), "message": "Hi"})
    # then nothing is written
    assert not Recognition.objects.exists()


def test_an_executive_deletes_a_recognition_and_the_scores_stay_current(executive, org):
    # given a recognition
    recognition = RecognitionFactory(organization=org)
    # when an executive deletes it
    recognition_delete(actor=executive, recognition=recognition, expected_version=1)
    # then it is gone, and the scores stay current
    assert not Recognition.objects.exists()
    assert _stale_since(org) is None


@pytest.mark.parametrize("role", [Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_executives_and_admins_delete_recognitions(member_of, org, role):
    # given a recognition the actor gave
    actor = member_of(role)
    recognition = RecognitionFactory(organization=org, from_person=person_of(actor))
    # when they delete it
    with pytest.raises(PermissionDenied):
        recognition_delete(actor=actor, recognition=recognition)
    # then it is kept
    assert Recognition.objects.filter(pk=recognition.pk).exists()
