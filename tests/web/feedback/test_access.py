"""Who may open each feedback page: the role table (execgap/roles.py RULES) page by page."""

from __future__ import annotations

import pytest

from execgap.models import Role
from tests.factories import FeedbackItemFactory, InitiativeFactory, KeyResultFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db

# Everyone reads; viewers create nothing (check-ins, feedback and recognitions are created by members up).
READ_PAGES = ("my_work", "feedback_list")
CREATE_PAGES = ("check_in_create", "feedback_create", "recognition_create")
WRITERS = (Role.ADMIN, Role.EXECUTIVE, Role.LEAD, Role.MEMBER)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", READ_PAGES)
def test_every_role_reads_my_work_and_the_feedback_list(client, signed_in, org, role, name):
    # given a member of any role
    signed_in(role)
    # when they open the page
    response = client.get(org_url(name, org))
    # then it is shown
    assert response.status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_a_feedback_item(client, signed_in, org, role):
    # given a feedback item and a member of any role
    item = FeedbackItemFactory(organization=org, text="The build server is down")
    signed_in(role)
    # when they open it
    response = client.get(org_url("feedback_detail", org, pk=item.pk))
    # then they read it
    assert response.status_code == 200
    assert "The build server is down" in response.content.decode()


@pytest.mark.parametrize("role", WRITERS)
@pytest.mark.parametrize("name", CREATE_PAGES)
def test_members_and_up_open_the_forms(client, signed_in, org, role, name):
    # given a member who may write
    signed_in(role)
    # when they open the form
    response = client.get(org_url(name, org))
    # then it is offered
    assert response.status_code == 200
    assert b"<form" in response.content


@pytest.mark.parametrize("name", CREATE_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_is_refused_the_forms(client, signed_in, org, name, method):
    # given a viewer
    signed_in(Role.VIEWER)
    # when they open or post a form
    response = getattr(client, method)(org_url(name, org))
    # then they are refused, and told why
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name", ["my_work", "feedback_list", "check_in_create", "feedback_create", "recognition_create"]
)
def test_an_anonymous_visitor_is_sent_to_log_in(client, org, name):
    # when someone who is not signed in opens the page
    response = client.get(org_url(name, org))
    # then they are sent to the login page
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("check_in_create", "key_result"),
        ("check_in_create", "initiative"),
        ("feedback_create", "initiative"),
        ("recognition_create", "initiative"),
    ],
)
def test_another_organizations_row_in_the_url_is_not_found(client, signed_in, org, other_org, name, query):
    # given a lead, and rows of another organization
    signed_in(Role.LEAD)
    foreign = {
        "key_result": KeyResultFactory(organization=other_org),
        "initiative": InitiativeFactory(organization=other_org),
    }[query]
    # when the form is opened about one of them
    response = client.get(org_url(name, org), {query: foreign.pk})
    # then it does not exist here
    assert response.status_code == 404


def test_another_organizations_feedback_is_not_found(client, signed_in, org, other_org):
    # given an administrator and feedback of another organization
    signed_in(Role.ADMIN)
    item = FeedbackItemFactory(organization=other_org)
    # when they open it, or try to answer it, from their organization
    opened = client.get(org_url("feedback_detail", org, pk=item.pk))
    answered = client.post(
        org_url("feedback_acknowledge", org, pk=item.pk), {"expected_version": item.version}
    )
    # then it does not exist here, and nothing changed
    assert (opened.status_code, answered.status_code) == (404, 404)
    item.refresh_from_db()
    assert item.status == "open"
