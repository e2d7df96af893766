"""Every feedback page runs as many queries for a small organization as for one three times larger."""

from __future__ import annotations

import pytest
from django.utils import timezone

from execgap.models import Role
from tests.conftest import person_of
from tests.factories import (
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
    TaskFactory,
    TeamFactory,
)
from tests.web.conftest import org_url, query_count

pytestmark = pytest.mark.django_db

# A generous ceiling: the frame (session, membership, navigation, scores status) plus a few reads.
MAX_QUERIES = 30


def _grow(org, me, times: int) -> None:
    """`times` more of everything the pages show: my tasks in the cascade, items I own, feedback,
    recognitions, and the same for a colleague."""
    colleague = PersonFactory(organization=org)
    for _ in range(times):
        team = TeamFactory(organization=org, lead=me)
        root = ObjectiveFactory(organization=org, owner=me, team=team)
        child = ObjectiveFactory(organization=org, parent=root, owner=me)
        KeyResultFactory(organization=org, objective=child)
        initiative = InitiativeFactory(organization=org, objective=child, owner=me, team=team)
        CheckInFactory(organization=org, initiative=initiative, author=me, date=timezone.now().date())
        for person in (me, colleague):
            TaskFactory(organization=org, assignee=person, initiative=initiative)
            TaskFactory(organization=org, assignee=person, objective=root)
            FeedbackItemFactory(organization=org, author=person, initiative=initiative, response="Seen")
            FeedbackItemFactory(organization=org, author=person, objective=root, kind="idea")
        RecognitionFactory(organization=org, from_person=me, to_person=colleague, initiative=initiative)
        RecognitionFactory(organization=org, from_person=colleague, to_person=me, objective=root)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("my_work", {}),
        ("feedback_list", {}),
        ("feedback_list", {"status": "open", "kind": "blocker"}),
        ("check_in_create", {}),
        ("feedback_create", {}),
        ("recognition_create", {}),
        ("feedback_detail", {}),
    ],
)
def test_queries_do_not_grow_with_the_data(client, signed_in, org, name, query):
    # given a lead with a person (an email, so check-ins fall due) and a small organization
    membership = signed_in(Role.LEAD)
    me = person_of(membership)
    me.email = "lead@example.com"
    me.save()
    _grow(org, me, 2)

    def count() -> int:
        kwargs = {}
        if name == "feedback_detail":
            kwargs["pk"] = FeedbackItemFactory(
                organization=org, initiative=InitiativeFactory(organization=org)
            ).pk
        url = org_url(name, org, **kwargs) + "?" + "&".join(f"{k}={v}" for k, v in query.items())
        client.get(url)  # the first visit remembers the organization in the session: not counted
        return query_count(client, url)

    small = count()
    # when the organization grows threefold
    _grow(org, me, 4)
    large = count()
    # then the page runs as many queries, and few
    assert small == large
    assert large <= MAX_QUERIES
