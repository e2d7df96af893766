"""Raising feedback and the organization's feedback list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from feedback.models import FeedbackItem, FeedbackKind, FeedbackStatus
from tests.conftest import person_of
from tests.factories import FeedbackItemFactory, InitiativeFactory, ObjectiveFactory, PersonFactory
from tests.web.conftest import org_url
from tests.web.feedback.conftest import blocker_on

pytestmark = pytest.mark.django_db


def test_the_blocker_form_preselects_the_kind_and_says_raise_blocker(client, signed_in, org):
    # given a member
    signed_in(Role.MEMBER)
    # when they open the form to raise a blocker
    response = client.get(org_url("feedback_create", org), {"kind": "blocker"})
    # then the kind is a blocker, and the button says so
    assert response.context["form"]["kind"].value() == "blocker"
    assert "Raise blocker</button>" in response.content.decode()


def test_a_member_raises_a_blocker_about_an_initiative(client, signed_in, org):
    # given a member and an initiative
    me = person_of(signed_in(Role.MEMBER))
    initiative = InitiativeFactory(organization=org)
    # when they raise a blocker about it
    response = client.post(
        f"{org_url('feedback_create', org)}?kind=blocker",
        {"kind": "blocker", "text": "No test environment", "initiative": initiative.pk, "author": me.pk},
    )
    # then it is saved as theirs, open, and they see it
    item = FeedbackItem.objects.get()
    assert (item.kind, item.text, item.initiative, item.author) == (
        "blocker",
        "No test environment",
        initiative,
        me,
    )
    assert item.status == FeedbackStatus.OPEN
    assert response["Location"] == org_url("feedback_detail", org, pk=item.pk)


def test_a_member_may_not_raise_feedback_as_someone_else(client, signed_in, org):
    # given a member and a colleague
    signed_in(Role.MEMBER)
    colleague = PersonFactory(organization=org)
    # when they post feedback as the colleague
    response = client.post(
        org_url("feedback_create", org), {"kind": "idea", "text": "Kept text", "author": colleague.pk}
    )
    # then it is refused beside the author field, with the input kept, and nothing is saved
    assert response.status_code == 400
    assert response.context["form"].errors["author"] == ["You may only raise feedback as yourself."]
    assert "Kept text" in response.content.decode()
    assert not FeedbackItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "blocker", "text": ""}, "text"),
        ({"kind": "gossip", "text": "Hmm"}, "kind"),
    ],
)
def test_invalid_feedback_shows_the_error_beside_its_field(client, signed_in, org, data, field):
    # given a member
    signed_in(Role.MEMBER)
    # when they post invalid feedback
    response = client.post(org_url("feedback_create", org), data)
    # then the error is beside the field and nothing is saved
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not FeedbackItem.objects.exists()


def test_feedback_about_both_an_objective_and_an_initiative_is_refused(client, signed_in, org):
    # given a member, an objective and an initiative
    signed_in(Role.MEMBER)
    objective, initiative = ObjectiveFactory(organization=org), InitiativeFactory(organization=org)
    # when they raise feedback about both
    response = client.post(
        org_url("feedback_create", org),
        {"kind": "risk", "text": "Both", "objective": objective.pk, "initiative": initiative.pk},
    )
    # then the service's refusal is shown beside the initiative, and nothing is saved
    assert response.status_code == 400
    assert "initiative" in response.context["form"].errors
    assert not FeedbackItem.objects.exists()


def test_another_organizations_initiative_in_the_form_is_refused(client, signed_in, org, other_org):
    # given a member and an initiative of another organization
    signed_in(Role.MEMBER)
    foreign = InitiativeFactory(organization=other_org)
    # when they raise feedback about it
    response = client.post(
        org_url("feedback_create", org), {"kind": "risk", "text": "Elsewhere", "initiative": foreign.pk}
    )
    # then the field refuses it and nothing is saved
    assert response.status_code == 400
    assert "initiative" in response.context["form"].errors
    assert not FeedbackItem.objects.exists()


def test_the_list_shows_unanswered_blockers_first(client, signed_in, org):
    # given a new idea, a resolved blocker, and two open blockers (the older raised first)
    signed_in(Role.VIEWER)
    now = timezone.now()
    FeedbackItemFactory(organization=org, kind=FeedbackKind.IDEA, text="Newest idea", created_at=now)
    FeedbackItemFactory(
        organization=org, text="Resolved blocker", status=FeedbackStatus.RESOLVED,
        created_at=now - timedelta(days=2), resolved_at=now,
    )  # fmt: skip
    FeedbackItemFactory(organization=org, text="Recent open blocker", created_at=now - timedelta(days=1))
    FeedbackItemFactory(organization=org, text="Oldest open blocker", created_at=now - timedelta(days=9))
    # when they open the list
    page = client.get(org_url("feedback_list", org)).content.decode()
    # then the open blockers come first, the one waiting longest on top, then the rest newest first
    order = ["Oldest open blocker", "Recent open blocker", "Newest idea", "Resolved blocker"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)


def test_the_list_filters_by_status_kind_and_team(client, signed_in, org, team, other_team):
    # given feedback of two teams, of several kinds and statuses
    signed_in(Role.MEMBER)
    blocker_on(team, text="Platform open blocker")
    blocker_on(team, text="Platform acknowledged blocker", status=FeedbackStatus.ACKNOWLEDGED)
    blocker_on(team, text="Platform open idea", kind=FeedbackKind.IDEA)
    blocker_on(other_team, text="Payments open blocker")
    objective = ObjectiveFactory(organization=org, team=team.team)
    FeedbackItemFactory(organization=org, objective=objective, text="Platform objective risk", kind="risk")
    # when they filter by team, status and kind
    response = client.get(
        org_url("feedback_list", org), {"team": team.team.pk, "status": "open", "kind": "blocker"}
    )
    by_team = client.get(org_url("feedback_list", org), {"team": team.team.pk}).content.decode()
    # then only the matching feedback is listed
    assert [item.text for item in response.context["page"].rows] == ["Platform open blocker"]
    assert "Platform objective risk" in by_team
    assert "Payments open blocker" not in by_team


def test_the_list_of_another_organization_shows_none_of_it(client, signed_in, org, other_org):
    # given feedback in another organization
    signed_in(Role.ADMIN)
    FeedbackItemFactory(organization=other_org, text="Their secret")
    # when an administrator of this one opens the list
    page = client.get(org_url("feedback_list", org)).content.decode()
    # then it is not there
    assert "Their secret" not in page
    assert "No feedback has been raised yet" in page


def test_the_form_preselects_the_initiative_of_the_query(client, signed_in, org):
    # given a member and an initiative
    signed_in(Role.MEMBER)
    initiative = InitiativeFactory(organization=org)
    # when they open the form to raise a blocker on it
    response = client.get(org_url("feedback_create", org), {"kind": "blocker", "initiative": initiative.pk})
    # then the initiative is chosen already
    assert response.context["form"]["initiative"].value() == initiative.pk
