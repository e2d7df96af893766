"""Lists of check-ins/, feedback/ and recognitions/: filters and a fixed query count."""

import datetime

import pytest
from django.utils import timezone

from execgap.models import Role
from feedback.models import CheckIn, FeedbackItem, Recognition
from tests.api.resources.support import client_for, url
from tests.factories import (
    CheckInFactory,
    FeedbackItemFactory,
    InitiativeFactory,
    ObjectiveFactory,
    PersonFactory,
    RecognitionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(member_of):
    return client_for(member_of(Role.VIEWER, person=False))


@pytest.fixture
def ada(org):
    return PersonFactory(organization=org, name="Ada")


@pytest.fixture
def bob(org):
    return PersonFactory(organization=org, name="Bob")


def _ids(response):
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


def test_check_ins_filter_by_target_author_and_dates(org, client, ada, bob, growth_objective, key_result):
    # given check-ins by Ada on the objective (Jan 10), by Bob on a key result (Feb 10),
    # and by Ada on an initiative (Mar 10)
    initiative = InitiativeFactory(organization=org)
    on_objective = CheckInFactory(
        organization=org, objective=growth_objective, author=ada, date=datetime.date(2027, 1, 10)
    )
    on_key_result = CheckInFactory(
        organization=org, key_result=key_result, author=bob, date=datetime.date(2027, 2, 10)
    )
    on_initiative = CheckInFactory(
        organization=org, initiative=initiative, author=ada, date=datetime.date(2027, 3, 10)
    )
    # then each filter narrows the list (date_from and date_to include their day)
    path = url(org, "check-ins/")
    assert _ids(client.get(path, {"objective": growth_objective.pk})) == [on_objective.pk]
    assert _ids(client.get(path, {"key_result": key_result.pk})) == [on_key_result.pk]
    assert _ids(client.get(path, {"initiative": initiative.pk})) == [on_initiative.pk]
    assert _ids(client.get(path, {"author": ada.pk})) == [on_objective.pk, on_initiative.pk]
    assert _ids(client.get(path, {"date_from": "2027-02-10"})) == [on_key_result.pk, on_initiative.pk]
    assert _ids(client.get(path, {"date_to": "2027-02-10"})) == [on_objective.pk, on_key_result.pk]
    assert _ids(client.get(path, {"date_from": "2027-02-01", "date_to": "2027-02-28"})) == [on_key_result.pk]


def test_feedback_filters_by_kind_status_target_and_author(
    org, client, ada, bob, growth_objective, growth_initiative
):
    # given an open blocker by Ada on the objective, a resolved risk by Bob on the initiative, an idea by Ada
    blocker = FeedbackItemFactory(organization=org, kind="blocker", objective=growth_objective, author=ada)
    risk = FeedbackItemFactory(
        organization=org, kind="risk", status="resolved", initiative=growth_initiative, author=bob
    )
    idea = FeedbackItemFactory(organization=org, kind="idea", author=ada)
    # then each filter narrows the list
    path = url(org, "feedback/")
    assert _ids(client.get(path, {"kind": "risk"})) == [risk.pk]
    assert _ids(client.get(path, {"status": "open"})) == [blocker.pk, idea.pk]
    assert _ids(client.get(path, {"objective": growth_objective.pk})) == [blocker.pk]
    assert _ids(client.get(path, {"initiative": growth_initiative.pk})) == [risk.pk]
    assert _ids(client.get(path, {"author": ada.pk, "kind": "idea"})) == [idea.pk]


@pytest.mark.parametrize(("query", "field"), [({"kind": "rant"}, "kind"), ({"status": "closed"}, "status")])
def test_an_unknown_kind_or_status_is_refused(org, client, query, field):
    # when a client filters feedback by a kind or status that does not exist
    response = client.get(url(org, "feedback/"), query)
    # then the filter is named
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_recognitions_filter_by_giver_and_receiver(org, client, ada, bob):
    # given Ada thanking Bob, and Bob thanking Ada
    ada_to_bob = RecognitionFactory(organization=org, from_person=ada, to_person=bob)
    bob_to_ada = RecognitionFactory(organization=org, from_person=bob, to_person=ada)
    # then ?from_person= and ?to_person= narrow the list
    path = url(org, "recognitions/")
    assert _ids(client.get(path, {"from_person": ada.pk})) == [ada_to_bob.pk]
    assert _ids(client.get(path, {"to_person": ada.pk})) == [bob_to_ada.pk]


@pytest.mark.parametrize(
    ("path", "model"), [("check-ins", CheckIn), ("feedback", FeedbackItem), ("recognitions", Recognition)]
)
def test_updated_since_gives_the_rows_changed_since(org, client, growth_objective, path, model):
    # given one row changed in 2026 and one in 2028
    make = {
        "check-ins": lambda: CheckInFactory(organization=org, objective=growth_objective),
        "feedback": lambda: FeedbackItemFactory(organization=org),
        "recognitions": lambda: RecognitionFactory(organization=org),
    }[path]
    before, after = make(), make()
    model.objects.filter(pk=before.pk).update(updated_at=timezone.make_aware(datetime.datetime(2026, 6, 1)))
    model.objects.filter(pk=after.pk).update(updated_at=timezone.make_aware(datetime.datetime(2028, 6, 1)))
    # when a client asks for what changed since 2027
    ids = _ids(client.get(url(org, f"{path}/"), {"updated_since": "2027-01-01T00:00:00Z"}))
    # then it gets the 2028 row only
    assert ids == [after.pk]


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("path", ["check-ins", "feedback", "recognitions"])
def test_a_list_costs_the_same_queries_at_any_page_size(
    org, client, django_assert_max_num_queries, rows, path
):
    # given `rows` rows of each kind, every link set
    for _ in range(rows):
        objective, giver, receiver = (
            ObjectiveFactory(organization=org),
            PersonFactory(organization=org),
            PersonFactory(organization=org),
        )
        CheckInFactory(organization=org, objective=objective, author=giver)
        FeedbackItemFactory(organization=org, objective=objective, author=giver)
        RecognitionFactory(organization=org, from_person=giver, to_person=receiver, objective=objective)
    # when a client lists a page of all of them: the membership, then the page
    with django_assert_max_num_queries(2):
        response = client.get(url(org, f"{path}/"), {"page_size": 100})
    # then every row is there
    assert len(_ids(response)) == rows
