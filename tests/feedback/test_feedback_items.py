import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from execgap.models import Role
from execgap.services import StaleVersionError
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus
from feedback.services import (
    feedback_acknowledge,
    feedback_create,
    feedback_delete,
    feedback_resolve,
    feedback_respond,
    feedback_update,
)
from tests.conftest import person_of
from tests.factories import (
    FeedbackItemFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

EARLIER = timezone.make_aware(datetime.datetime(2027, 1, 4, 9, 0))


def _stale_since(org):
    org.refresh_from_db()
    return org.scores_stale_since


@pytest.fixture
def member(member_of):
    return member_of(Role.MEMBER)


@pytest.fixture
def lead(member_of, org):
    """The lead of the team "Growth"."""
    membership = member_of(Role.LEAD)
    TeamFactory(organization=org, name="Growth", lead=person_of(membership))
    return membership


@pytest.fixture
def growth_item(org, lead):
    """Open feedback about an initiative of the team "Growth"."""
    growth = person_of(lead).teams_led.get()
    return FeedbackItemFactory(organization=org, initiative=InitiativeFactory(organization=org, team=growth))


# --- raising feedback ----------------------------------------------------------------------------


def test_a_member_raises_a_blocker_as_themselves_by_default(member, org):
    # given an initiative
    initiative = InitiativeFactory(organization=org)
    # when a member raises a blocker about it without naming the author
    item = feedback_create(
        actor=member, data={"kind": FeedbackKind.BLOCKER, "initiative": initiative, "text": "No test data"}
    )
    # then it is theirs and open, and the scores (responsiveness reads it) are marked stale
    stored = FeedbackItem.objects.for_org(org).get(pk=item.pk)
    assert (stored.author, stored.kind, stored.status, stored.text) == (
        person_of(member),
        FeedbackKind.BLOCKER,
        FeedbackStatus.OPEN,
        "No test data",
    )
    assert (stored.acknowledged_at, stored.resolved_at) == (None, None)
    assert _stale_since(org) is not None


def test_a_member_may_not_raise_feedback_as_someone_else(member, org):
    # given a colleague
    colleague = PersonFactory(organization=org)
    # when a member raises feedback naming the colleague as author
    with pytest.raises(ValidationError) as refused:
        feedback_create(actor=member, data={"kind": "idea", "text": "Hackday", "author": colleague})
    # then the author is refused, and nothing is written
    assert refused.value.message_dict == {"author": ["You may only raise feedback as yourself."]}
    assert not FeedbackItem.objects.exists()
    assert _stale_since(org) is None


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ("unknown kind", "kind"),
        ("unknown status", "status"),
        ("no text", "text"),
        ("two goals", "initiative"),
        ("another organization", "initiative"),
    ],
)
def test_bad_feedback_is_refused_on_its_field(member, org, other_org, bad, field):
    # given feedback spoiled by one bad value
    data = {"kind": "risk", "text": "Vendor may slip"}
    data |= {
        "unknown kind": {"kind": "rant"},
        "unknown status": {"status": "ignored"},
        "no text": {"text": ""},
        "two goals": {
            "objective": ObjectiveFactory(organization=org),
            "initiative": InitiativeFactory(organization=org),
        },
        "another organization": {"initiative": InitiativeFactory(organization=other_org)},
    }[bad]
    # when a member raises it
    with pytest.raises(ValidationError) as refused:
        feedback_create(actor=member, data=data)
    # then it is refused on the field, and nothing is written
    assert field in refused.value.message_dict
    assert not FeedbackItem.objects.exists()
    assert _stale_since(org) is None


def test_a_viewer_does_not_raise_feedback(member_of, org):
    # given a viewer with a person record
    viewer = member_of(Role.VIEWER)
    # when they raise feedback
    with pytest.raises(PermissionDenied):
        feedback_create(actor=viewer, data={"kind": "idea", "text": "Hackday"})
    # then nothing is written
    assert not FeedbackItem.objects.exists()


# --- answering: acknowledge, respond, resolve ----------------------------------------------------


def test_the_lead_acknowledges_their_teams_feedback(lead, org, growth_item):
    # when the team's lead acknowledges the open item with a response
    before = timezone.now()
    item = feedback_acknowledge(actor=lead, item=growth_item, response="Looking into it")
    # then it is acknowledged now, with the response, at the next version, and scores go stale
    stored = FeedbackItem.objects.get(pk=growth_item.pk)
    assert (stored.status, stored.response, stored.version) == ("acknowledged", "Looking into it", 2)
    assert before <= stored.acknowledged_at <= timezone.now()
    assert stored.resolved_at is None
    assert item == stored
    assert _stale_since(org) is not None


def test_each_answer_records_who_gave_it(lead, member_of, growth_item):
    # given an executive without a person record, besides the team's lead
    executive = member_of(Role.EXECUTIVE, person=False)
    # when the lead acknowledges, then the executive resolves
    feedback_acknowledge(actor=lead, item=growth_item)
    after_lead = FeedbackItem.objects.get(pk=growth_item.pk).answered_by
    feedback_resolve(actor=executive, item=growth_item)
    # then the lead is recorded first, and the last answer's unknown person replaces them
    assert after_lead == person_of(lead)
    assert FeedbackItem.objects.get(pk=growth_item.pk).answered_by is None


def test_acknowledging_again_keeps_the_first_time_and_response(lead, growth_item):
    # given an item acknowledged earlier, with a response
    FeedbackItem.objects.filter(pk=growth_item.pk).update(
        status=FeedbackStatus.ACKNOWLEDGED, acknowledged_at=EARLIER, response="On it"
    )
    # when it is acknowledged again without a response
    feedback_acknowledge(actor=lead, item=growth_item)
    # then the first acknowledgement time and the response stay
    growth_item.refresh_from_db()
    assert (growth_item.status, growth_item.acknowledged_at, growth_item.response) == (
        "acknowledged",
        EARLIER,
        "On it",
    )


def test_responding_sets_the_response_and_keeps_the_status(lead, growth_item):
    # when the lead responds to the open item
    feedback_respond(actor=lead, item=growth_item, response="Fixed in staging")
    # then the response is stored and the item is still open
    growth_item.refresh_from_db()
    assert (growth_item.response, growth_item.status, growth_item.acknowledged_at) == (
        "Fixed in staging",
        "open",
        None,
    )


@pytest.mark.parametrize("response", ["", "   "])
def test_an_empty_response_is_refused(lead, org, growth_item, response):
    # when the lead responds with nothing
    with pytest.raises(ValidationError) as refused:
        feedback_respond(actor=lead, item=growth_item, response=response)
    # then it is refused on `response`, and nothing is written
    assert refused.value.message_dict == {"response": ["Write a response."]}
    growth_item.refresh_from_db()
    assert (growth_item.response, growth_item.version) == ("", 1)
    assert _stale_since(org) is None


def test_resolving_open_feedback_answers_it_without_acknowledging(lead, org, growth_item):
    # when the lead resolves the open item with a response
    before = timezone.now()
    feedback_resolve(actor=lead, item=growth_item, response="Done")
    # then it is resolved now (which counts as its answer), never acknowledged
    growth_item.refresh_from_db()
    assert (growth_item.status, growth_item.response, growth_item.acknowledged_at) == (
        "resolved",
        "Done",
        None,
    )
    assert before <= growth_item.resolved_at <= timezone.now()
    assert _stale_since(org) is not None


def test_resolving_acknowledged_feedback_keeps_its_acknowledgement(lead, growth_item):
    # given an item acknowledged earlier
    FeedbackItem.objects.filter(pk=growth_item.pk).update(
        status=FeedbackStatus.ACKNOWLEDGED, acknowledged_at=EARLIER
    )
    # when the lead resolves it
    feedback_resolve(actor=lead, item=growth_item)
    # then it is resolved, and still acknowledged at the earlier time
    growth_item.refresh_from_db()
    assert (growth_item.status, growth_item.acknowledged_at) == ("resolved", EARLIER)
    assert growth_item.resolved_at is not None


def test_resolved_feedback_does_not_go_back_to_acknowledged(lead, org, growth_item):
    # given a resolved item
    FeedbackItem.objects.filter(pk=growth_item.pk).update(status=FeedbackStatus.RESOLVED, resolved_at=EARLIER)
    # when the lead acknowledges it
    with pytest.raises(ValidationError) as refused:
        feedback_acknowledge(actor=lead, item=growth_item, response="Oops")
    # then it is refused on `status`, and nothing is written
    assert "cannot go back to acknowledged" in refused.value.message_dict["status"][0]
    growth_item.refresh_from_db()
    assert (growth_item.status, growth_item.acknowledged_at, growth_item.response) == ("resolved", None, "")
    assert _stale_since(org) is None


def test_a_lead_does_not_answer_another_teams_feedback(lead, org):
    # given feedback about another team's initiative, and feedback about no goal
    search = TeamFactory(organization=org, name="Search")
    items = [
        FeedbackItemFactory(organization=org, initiative=InitiativeFactory(organization=org, team=search)),
        FeedbackItemFactory(organization=org),
    ]
    # when the lead acknowledges, responds to or resolves them
    for item in items:
        for answer in (feedback_acknowledge, feedback_resolve):
            with pytest.raises(PermissionDenied):
                answer(actor=lead, item=item)
        with pytest.raises(PermissionDenied):
            feedback_respond(actor=lead, item=item, response="Not mine")
    # then they stay open and unanswered
    assert {(i.status, i.response, i.version) for i in FeedbackItem.objects.all()} == {("open", "", 1)}
    assert _stale_since(org) is None


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_do_not_answer_feedback(member_of, org, role):
    # given feedback the actor raised themselves
    actor = member_of(role)
    item = FeedbackItemFactory(organization=org, author=person_of(actor))
    # when they acknowledge or resolve it
    with pytest.raises(PermissionDenied):
        feedback_acknowledge(actor=actor, item=item)
    with pytest.raises(PermissionDenied):
        feedback_resolve(actor=actor, item=item)
    # then it stays open
    item.refresh_from_db()
    assert (item.status, item.version) == ("open", 1)


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ADMIN])
def test_executives_and_admins_answer_any_feedback(member_of, org, role):
    # given feedback about no goal and no team
    actor = member_of(role)
    item = FeedbackItemFactory(organization=org)
    # when they acknowledge, respond and resolve it
    feedback_acknowledge(actor=actor, item=item)
    feedback_respond(actor=actor, item=item, response="Thanks")
    feedback_resolve(actor=actor, item=item)
    # then it is resolved with the response, three versions on
    item.refresh_from_db()
    assert (item.status, item.response, item.version) == ("resolved", "Thanks", 4)


# --- editing and deleting through the table ------------------------------------------------------


def test_an_executive_edits_feedback(executive, org):
    # given a risk
    item = FeedbackItemFactory(organization=org, kind=FeedbackKind.RISK, text="Vendor may slip")
    # when an executive reclassifies it as a blocker, having read version 1
    feedback_update(actor=executive, item=item, data={"kind": FeedbackKind.BLOCKER}, expected_version=1)
    # then it is stored at version 2, and the scores are marked stale
    item.refresh_from_db()
    assert (item.kind, item.version) == ("blocker", 2)
    assert _stale_since(org) is not None


def test_a_stale_feedback_edit_is_refused(executive, org):
    # given feedback someone already changed
    item = FeedbackItemFactory(organization=org, kind=FeedbackKind.RISK, version=2)
    # when an executive saves an edit made on version 1
    with pytest.raises(StaleVersionError):
        feedback_update(actor=executive, item=item, data={"kind": FeedbackKind.IDEA}, expected_version=1)
    # then it is unchanged
    item.refresh_from_db()
    assert (item.kind, item.version) == ("risk", 2)


def test_an_admin_deletes_feedback(admin, org):
    # given feedback
    item = FeedbackItemFactory(organization=org)
    # when an admin deletes it
    feedback_delete(actor=admin, item=item)
    # then it is gone, and the scores are marked stale
    assert not FeedbackItem.objects.exists()
    assert _stale_since(org) is not None


@pytest.mark.parametrize("role", [Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_executives_and_admins_edit_or_delete_feedback(member_of, org, role):
    # given feedback the actor raised themselves
    actor = member_of(role)
    item = FeedbackItemFactory(organization=org, author=person_of(actor), text="Original")
    # when they edit or delete it
    with pytest.raises(PermissionDenied):
        feedback_update(actor=actor, item=item, data={"text": "Edited"})
    with pytest.raises(PermissionDenied):
        feedback_delete(actor=actor, item=item)
    # then it is unchanged
    item.refresh_from_db()
    assert (item.text, item.version) == ("Original", 1)
