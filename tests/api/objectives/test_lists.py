"""Lists of objectives/, key-results/, initiatives/ and tasks/: filters, search, keyset pages, and a
query count that does not grow with the page."""

import datetime

import pytest
from django.utils import timezone

from execgap.models import Role
from objectives.models import Initiative, KeyResult, Objective, Task
from tests.api.resources.support import client_for, url
from tests.factories import (
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
    PersonFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

PATHS = ("objectives", "key-results", "initiatives", "tasks")


@pytest.fixture
def client(member_of):
    return client_for(member_of(Role.VIEWER, person=False))


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


# --- objectives --------------------------------------------------------------------------------


def test_objectives_filter_by_status_team_owner_parent_and_root(org, client, growth, platform):
    # given two roots (one a draft of Platform owned by Ada) and two objectives below the first
    ada = PersonFactory(organization=org, name="Ada")
    grow = ObjectiveFactory(organization=org, title="Grow", team=growth)
    ship = ObjectiveFactory(organization=org, title="Ship", team=platform, owner=ada, status="draft")
    eu = ObjectiveFactory(organization=org, title="Grow EU", parent=grow, team=growth, owner=ada)
    us = ObjectiveFactory(organization=org, title="Grow US", parent=grow, status="achieved")

    def ids(**query):
        return _ids(client.get(url(org, "objectives/"), query))

    # then each filter narrows the list
    assert ids(status="draft") == [ship.pk]
    assert ids(team=growth.pk) == [grow.pk, eu.pk]
    assert ids(owner=ada.pk) == [ship.pk, eu.pk]
    assert ids(parent=grow.pk) == [eu.pk, us.pk]
    assert ids(root="true") == [grow.pk, ship.pk]
    assert ids(root="false") == [eu.pk, us.pk]
    assert ids(root="true", team=growth.pk) == [grow.pk]


def test_key_results_filter_by_objective(org, client):
    # given two objectives with key results
    grow, ship = ObjectiveFactory(organization=org), ObjectiveFactory(organization=org)
    first = KeyResultFactory(organization=org, objective=grow)
    second = KeyResultFactory(organization=org, objective=grow)
    KeyResultFactory(organization=org, objective=ship)
    # then ?objective= gives those of one objective
    assert _ids(client.get(url(org, "key-results/"), {"objective": grow.pk})) == [first.pk, second.pk]


def test_initiatives_filter_by_status_team_objective_owner_and_unlinked(org, client, growth, platform):
    # given initiatives of two objectives and one of none
    ada = PersonFactory(organization=org, name="Ada")
    grow = ObjectiveFactory(organization=org)
    onboarding = InitiativeFactory(organization=org, objective=grow, team=growth, owner=ada)
    referrals = InitiativeFactory(organization=org, objective=grow, team=platform, status="on_hold")
    orphan = InitiativeFactory(organization=org, team=growth, status="proposed")

    def ids(**query):
        return _ids(client.get(url(org, "initiatives/"), query))

    # then each filter narrows the list
    assert ids(status="on_hold") == [referrals.pk]
    assert ids(team=growth.pk) == [onboarding.pk, orphan.pk]
    assert ids(objective=grow.pk) == [onboarding.pk, referrals.pk]
    assert ids(owner=ada.pk) == [onboarding.pk]
    assert ids(unlinked="true") == [orphan.pk]
    assert ids(unlinked="false") == [onboarding.pk, referrals.pk]


def test_tasks_filter_by_every_link_status_and_key(org, client, growth, platform):
    # given tasks of an initiative, of an objective, and of neither
    ada = PersonFactory(organization=org, name="Ada")
    grow = ObjectiveFactory(organization=org)
    onboarding = InitiativeFactory(organization=org, objective=grow)
    of_initiative = TaskFactory(organization=org, initiative=onboarding, team=growth, assignee=ada)
    of_objective = TaskFactory(organization=org, objective=grow, team=platform, status="done")
    orphan = TaskFactory(organization=org, assignee=ada, status="blocked", external_key="ACME-7")

    def ids(**query):
        return _ids(client.get(url(org, "tasks/"), query))

    # then each filter narrows the list
    assert ids(status="blocked") == [orphan.pk]
    assert ids(team=platform.pk) == [of_objective.pk]
    assert ids(initiative=onboarding.pk) == [of_initiative.pk]
    assert ids(objective=grow.pk) == [of_objective.pk]
    assert ids(assignee=ada.pk) == [of_initiative.pk, orphan.pk]
    assert ids(unlinked="true") == [orphan.pk]
    assert ids(unlinked="false") == [of_initiative.pk, of_objective.pk]
    assert ids(external_key="ACME-7") == [orphan.pk]
    assert ids(external_key="ACME-8") == []
    assert ids(assignee=ada.pk, unlinked="true") == [orphan.pk]


@pytest.mark.parametrize("path", PATHS)
def test_search_matches_titles_in_any_case(org, client, path):
    # given a row titled "Self-serve onboarding" and one titled "Faster builds"
    factory = {
        "objectives": ObjectiveFactory,
        "key-results": KeyResultFactory,
        "initiatives": InitiativeFactory,
        "tasks": TaskFactory,
    }[path]
    onboarding = factory(organization=org, title="Self-serve onboarding")
    factory(organization=org, title="Faster builds")
    # when a client searches for part of a title, in another case
    found = _ids(client.get(url(org, f"{path}/"), {"search": "SERVE ONB"}))
    # then only that row is found
    assert found == [onboarding.pk]


@pytest.mark.parametrize(
    ("path", "model"),
    [("objectives", Objective), ("key-results", KeyResult), ("initiatives", Initiative), ("tasks", Task)],
)
def test_updated_since_gives_the_rows_changed_since(org, client, path, model):
    # given one row changed in 2026 and one in 2028
    objective = ObjectiveFactory(organization=org)
    make = {
        "objectives": lambda: ObjectiveFactory(organization=org),
        "key-results": lambda: KeyResultFactory(organization=org, objective=objective),
        "initiatives": lambda: InitiativeFactory(organization=org),
        "tasks": lambda: TaskFactory(organization=org),
    }[path]
    before, after = make(), make()
    model.objects.filter(pk__in=[objective.pk, before.pk]).update(
        updated_at=timezone.make_aware(datetime.datetime(2026, 6, 1))
    )
    model.objects.filter(pk=after.pk).update(updated_at=timezone.make_aware(datetime.datetime(2028, 6, 1)))
    # when a client asks for what changed since 2027
    ids = _ids(client.get(url(org, f"{path}/"), {"updated_since": "2027-01-01T00:00:00Z"}))
    # then it gets the 2028 row only
    assert ids == [after.pk]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("objectives", {"status": "paused"}, "status"),
        ("objectives", {"root": "perhaps"}, "root"),
        ("objectives", {"parent": "top"}, "parent"),
        ("key-results", {"objective": "grow"}, "objective"),
        ("initiatives", {"unlinked": "maybe"}, "unlinked"),
        ("initiatives", {"status": "paused"}, "status"),
        ("tasks", {"unlinked": "yes please"}, "unlinked"),
        ("tasks", {"status": "paused"}, "status"),
        ("tasks", {"assignee": "me"}, "assignee"),
        ("tasks", {"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_filter_is_refused_on_its_name(org, client, path, query, field):
    # when a client filters by a value of the wrong kind
    response = client.get(url(org, f"{path}/"), query)
    # then the filter is named
    assert response.status_code == 400
    assert list(response.json()) == [field]


# --- pages -------------------------------------------------------------------------------------


def test_task_pages_follow_each_other_by_id_whatever_changes_meanwhile(org, client):
    # given 5 tasks
    tasks = [TaskFactory(organization=org, title=f"Task {n}").pk for n in range(5)]
    # when a client reads them 2 at a time, following `next`, while a task is added
    seen, page = [], client.get(url(org, "tasks/"), {"page_size": 2})
    added = None
    while True:
        seen += _ids(page)
        if added is None:
            added = TaskFactory(organization=org, title="Added meanwhile").pk
        if page.json()["next"] is None:
            break
        page = client.get(page.json()["next"])
    # then it sees each once, in id order, the new one last
    assert seen == [*tasks, added]


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("path", PATHS)
def test_a_list_costs_the_same_queries_at_any_page_size(
    org, client, growth, snapshot, django_assert_max_num_queries, rows, path
):
    # given `rows` rows of each kind, every link set, and a snapshot with every objective's progress
    parent = ObjectiveFactory(organization=org, team=growth)
    progress = {parent: (0.5, "on_track")}
    for _ in range(rows):
        person = PersonFactory(organization=org, team=growth)
        objective = ObjectiveFactory(organization=org, parent=parent, team=growth, owner=person)
        initiative = InitiativeFactory(organization=org, objective=objective, team=growth, owner=person)
        KeyResultFactory(organization=org, objective=objective)
        TaskFactory(organization=org, initiative=initiative, team=growth, assignee=person)
        TaskFactory(organization=org, objective=objective, team=growth, assignee=person)
        progress[objective] = (0.25, "behind")
    snapshot(org, progress)
    # when a client lists a page of all of them: the membership, then the page
    with django_assert_max_num_queries(2):
        response = client.get(url(org, f"{path}/"), {"page_size": 200})
    # then every row is there
    assert len(_ids(response)) >= rows
    if path == "objectives":
        assert {row["progress_status"] for row in response.json()["results"]} == {"on_track", "behind"}
