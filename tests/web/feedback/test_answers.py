"""The lead's answers to feedback: acknowledge, respond, resolve (lead of the item's team, or any
executive or administrator); as a plain form POST and in place with htmx."""

from __future__ import annotations

import pytest

from execgap.models import Role
from feedback.models import FeedbackStatus
from tests.factories import FeedbackItemFactory
from tests.web.conftest import org_url
from tests.web.feedback.conftest import blocker_on

pytestmark = pytest.mark.django_db

ACTIONS = ("acknowledge", "respond", "resolve")


def _answer(client, org, item, action: str, response: str = "Looking into it", **headers):
    return client.post(
        org_url(f"feedback_{action}", org, pk=item.pk),
        {"expected_version": item.version, "response": response},
        headers=headers,
    )


def test_the_lead_of_the_items_team_acknowledges_a_blocker(client, org, team):
    # given an open blocker about the team's initiative, and its lead signed in
    item = blocker_on(team, text="No staging environment")
    client.force_login(team.lead.user)
    # when the lead opens it, they are offered the answers; then they acknowledge it
    page = client.get(org_url("feedback_detail", org, pk=item.pk)).content.decode()
    response = _answer(client, org, item, "acknowledge", response="Ops will set one up this week")
    # then it is acknowledged now, with the response, and the lead returns to the item
    assert "Acknowledge</button>" in page
    item.refresh_from_db()
    assert item.status == FeedbackStatus.ACKNOWLEDGED
    assert item.acknowledged_at is not None
    assert item.response == "Ops will set one up this week"
    assert response["Location"] == org_url("feedback_detail", org, pk=item.pk)
    followed = client.get(response["Location"]).content.decode()
    assert "Feedback acknowledged." in followed
    assert "Ops will set one up this week" in followed
    assert item.answered_by is not None
    assert item.answered_by.user == team.lead.user
    assert f"<dt>Answered by</dt>\n  <dd>{item.answered_by.name}</dd>" in followed


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.EXECUTIVE])
def test_executives_and_administrators_answer_any_feedback(client, signed_in, org, role, action):
    # given feedback about nothing in particular (no team), and an executive or administrator
    item = FeedbackItemFactory(organization=org)
    signed_in(role)
    # when they answer it
    response = _answer(client, org, item, action)
    # then the answer is saved
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.response == "Looking into it"
    assert item.version == 2


@pytest.mark.parametrize("action", ACTIONS)
def test_a_lead_of_another_team_may_not_answer(client, org, team, other_team, action):
    # given a blocker of one team and the lead of another
    item = blocker_on(team)
    client.force_login(other_team.lead.user)
    # when the other lead opens it and tries to answer it
    page = client.get(org_url("feedback_detail", org, pk=item.pk)).content.decode()
    response = _answer(client, org, item, action)
    # then they are offered no answer, the answer is refused and nothing changes
    assert "Acknowledge</button>" not in page
    assert response.status_code == 403
    item.refresh_from_db()
    assert (item.status, item.response, item.version) == (FeedbackStatus.OPEN, "", 1)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_may_not_answer(client, signed_in, org, team, role, action):
    # given a blocker of a team, and a member or viewer
    item = blocker_on(team)
    signed_in(role)
    # when they open it and try to answer it
    page = client.get(org_url("feedback_detail", org, pk=item.pk)).content.decode()
    response = _answer(client, org, item, action)
    # then no answer is offered, the answer is refused and nothing changes
    assert "Acknowledge</button>" not in page
    assert "Resolve</button>" not in page
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.version == 1


def test_an_htmx_acknowledgement_updates_the_item_in_place(client, org, team):
    # given an open blocker and its team's lead
    item = blocker_on(team)
    client.force_login(team.lead.user)
    # when the lead acknowledges it through htmx
    response = _answer(client, org, item, "acknowledge", HX_Request="true")
    # then the answer is the item's fragment, acknowledged, with the scores status out of band
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article id="feedback-{item.pk}"')
    assert "Feedback acknowledged." in body
    assert "Acknowledge</button>" not in body
    assert 'hx-swap-oob="true"' in body
    assert "<html" not in body


def test_resolving_records_the_time_and_offers_no_more_acknowledge_or_resolve(client, org, team):
    # given an acknowledged blocker and its team's lead
    item = blocker_on(team, status=FeedbackStatus.ACKNOWLEDGED)
    client.force_login(team.lead.user)
    # when the lead resolves it
    _answer(client, org, item, "resolve", response="")
    # then it is resolved now, and only a response may still be given
    item.refresh_from_db()
    assert item.status == FeedbackStatus.RESOLVED
    assert item.resolved_at is not None
    page = client.get(org_url("feedback_detail", org, pk=item.pk)).content.decode()
    assert "Resolve</button>" not in page
    assert "Acknowledge</button>" not in page
    assert "Respond</button>" in page


def test_a_response_without_text_is_refused_beside_the_field(client, org, team):
    # given a blocker and its team's lead
    item = blocker_on(team)
    client.force_login(team.lead.user)
    # when the lead responds with nothing
    response = _answer(client, org, item, "respond", response="   ")
    # then the response field says so (400) and nothing changes
    assert response.status_code == 400
    assert "response" in response.context["answer_form"].errors
    item.refresh_from_db()
    assert item.version == 1


def test_acknowledging_resolved_feedback_is_refused(client, org, team):
    # given a resolved blocker and its team's lead (a stale page still offering "Acknowledge")
    item = blocker_on(team, status=FeedbackStatus.RESOLVED)
    client.force_login(team.lead.user)
    # when the lead acknowledges it
    response = _answer(client, org, item, "acknowledge", response="Late")
    # then it is refused with the reason and the input kept, and it stays resolved
    assert response.status_code == 400
    assert "resolved already" in response.content.decode()
    assert "Late" in response.content.decode()
    item.refresh_from_db()
    assert item.status == FeedbackStatus.RESOLVED


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stale_answer_is_refused_with_the_input_kept(client, org, team, htmx):
    # given a blocker the lead read at version 1, answered since by someone else
    item = blocker_on(team)
    read_version = item.version
    item.response, item.version = "Someone else's answer", 2
    item.save()
    client.force_login(team.lead.user)
    # when the lead responds with the version they read
    response = client.post(
        org_url("feedback_respond", org, pk=item.pk),
        {"expected_version": read_version, "response": "My answer"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    # then it is refused (400), their text is kept, and the other answer stands
    body = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this" in body
    assert "My answer" in body
    item.refresh_from_db()
    assert (item.response, item.version) == ("Someone else's answer", 2)


def test_an_answer_is_a_post(client, org, team):
    # given a blocker and its team's lead
    item = blocker_on(team)
    client.force_login(team.lead.user)
    # when the lead follows the acknowledge address with GET
    response = client.get(org_url("feedback_acknowledge", org, pk=item.pk))
    # then nothing happens
    assert response.status_code == 405
    item.refresh_from_db()
    assert item.status == FeedbackStatus.OPEN
