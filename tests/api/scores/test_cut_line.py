"""capacity/cut-line/: the active and proposed initiatives ranked by priority against the capacity.

The rules are tested on pure inputs in tests/scoring/test_cut_line_rules.py; here: the answer's shape
on SCORING.md's worked example (fetched from the kept task tallies), `limit`, tenancy, roles, and a
read that costs the same few queries whatever the number of tasks and initiatives.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from execgap.models import Role
from objectives.models import TaskStatus
from tests.api.scores.conftest import ROLES
from tests.factories import InitiativeFactory, ObjectiveFactory, PersonFactory, TaskFactory

pytestmark = pytest.mark.django_db

D = date(2027, 1, 1)


def cut_line_url(organization, **query) -> str:
    url = f"/api/v1/orgs/{organization.slug}/capacity/cut-line/"
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_the_worked_example(worked_example, client_as):
    # given SCORING.md's worked example, read by a viewer at D = 2027-01-01
    body = client_as(Role.VIEWER).get(cut_line_url(worked_example.org, as_of="2027-01-01")).json()
    # then i1 (c1: intended 0.375, estimate 50 h) then i3 (no objective: 0, open 3 h); i2 is on hold.
    # Capacity: p1 40 + p2 10 h a week (p3 is inactive) × 90 / 7 = 642.86 h; both fit.
    assert body["capacity"] == pytest.approx(642.857142857)
    assert {key: body[key] for key in ("as_of", "horizon_days", "total_demand", "shortfall")} == {
        "as_of": "2027-01-01",
        "horizon_days": 90,
        "total_demand": 53.0,
        "shortfall": 0.0,
    }
    assert (body["initiative_count"], body["line_index"], body["below_count"], body["limit"]) == (2, 2, 0, 50)
    assert body["first_below"] is None
    first, second = body["initiatives"]
    assert first == {
        "rank": 1,
        "id": worked_example.i1.pk,
        "title": worked_example.i1.title,
        "status": "active",
        "objective": worked_example.c1.pk,
        "objective_title": worked_example.c1.title,
        "priority": 0.375,
        "end_date": "2027-01-30",
        "remaining": 50.0,
        "demand": 50.0,
        "cumulative_demand": 50.0,
        "above_line": True,
    }
    assert (second["id"], second["objective"], second["priority"]) == (worked_example.i3.pk, None, 0.0)
    assert (second["demand"], second["cumulative_demand"], second["above_line"]) == (3.0, 53.0, True)


@pytest.fixture
def crowded(org):
    """One person of 7 h a week (90 h over 90 days) and five open-ended initiatives of 40 h each on
    objectives of shares 0.5, 0.25, 0.125, 0.0625 and 0.0625 (weights 8, 4, 2, 1, 1): the first two
    fit (80 h), the third takes the demand to 120 h."""
    PersonFactory(organization=org, weekly_capacity_hours=Decimal(7))
    initiatives = []
    for number, weight in enumerate([8, 4, 2, 1, 1], 1):
        objective = ObjectiveFactory(organization=org, priority_weight=Decimal(weight))
        initiative = InitiativeFactory(
            organization=org,
            objective=objective,
            title=f"i{number}",
            status="proposed" if number == 2 else "active",
        )
        TaskFactory(organization=org, initiative=initiative, effort_hours=Decimal(40))
        initiatives.append(initiative)
    return initiatives


def test_the_line_and_the_limit(org, client_as, crowded):
    # when the first two of the ranking are asked for
    body = client_as(Role.MEMBER).get(cut_line_url(org, as_of=D, limit=2)).json()
    # then two are listed, both above the line; the line falls after rank 2, and the first below is i3
    assert [(row["title"], row["status"], row["above_line"]) for row in body["initiatives"]] == [
        ("i1", "active", True),
        ("i2", "proposed", True),
    ]
    assert (body["initiative_count"], body["line_index"], body["below_count"], body["limit"]) == (5, 2, 3, 2)
    assert (body["capacity"], body["total_demand"], body["shortfall"]) == (90.0, 200.0, 110.0)
    assert body["first_below"]["title"] == "i3"
    assert (body["first_below"]["rank"], body["first_below"]["cumulative_demand"]) == (3, 120.0)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"as_of": "2027-02-30"}, "as_of"),
        ({"as_of": "9999-12-30"}, "as_of"),
    ],
)
def test_a_bad_limit_or_date_is_a_field_error(org, client_as, query, field):
    response = client_as(Role.VIEWER).get(cut_line_url(org, **query))
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_today_is_the_default_date(org, client_as):
    body = client_as(Role.VIEWER).get(cut_line_url(org)).json()
    assert date.fromisoformat(body["as_of"]) in {date.today(), date.today() - timedelta(days=1)}
    assert (body["initiatives"], body["capacity"], body["first_below"]) == ([], 0.0, None)


def test_another_organizations_initiatives_and_people_never_count(org, other_org, client_as):
    # given globex: an active initiative of 30 h on a live objective and 40 h a week of people
    globex_goal = ObjectiveFactory(organization=other_org, title="globex goal")
    globex_work = InitiativeFactory(organization=other_org, objective=globex_goal, title="globex work")
    TaskFactory(organization=other_org, initiative=globex_work, effort_hours=Decimal(30))
    PersonFactory(organization=other_org, weekly_capacity_hours=Decimal(40))
    # and acme: one proposed initiative of 5 h, and 7 h a week
    acme_work = InitiativeFactory(organization=org, title="acme work", status="proposed")
    TaskFactory(organization=org, initiative=acme_work, effort_hours=Decimal(5))
    PersonFactory(organization=org, weekly_capacity_hours=Decimal(7))
    # when an acme member reads acme's cut line
    body = client_as(Role.ADMIN, org).get(cut_line_url(org, as_of=D)).json()
    # then only acme's work and capacity are there
    assert [row["title"] for row in body["initiatives"]] == ["acme work"]
    assert (body["capacity"], body["total_demand"]) == (90.0, 5.0)
    # and globex's cut line is not found for an acme member
    assert client_as(Role.ADMIN, org).get(cut_line_url(other_org)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_member_reads_the_cut_line(org, client_as, role):
    assert client_as(role).get(cut_line_url(org)).status_code == 200


def test_the_signed_out_are_refused(org):
    assert APIClient().get(cut_line_url(org)).status_code == 401


def test_nobody_writes_the_cut_line(org, client_as):
    assert client_as(Role.ADMIN).post(cut_line_url(org)).status_code == 405


def grow(organization, initiatives: int, tasks: int) -> None:
    """`initiatives` initiatives under two objectives, with `tasks` tasks (open and done) spread over them."""
    goals = [ObjectiveFactory(organization=organization) for _ in range(2)]
    work = [
        InitiativeFactory(organization=organization, objective=goals[number % 2], estimate_hours=Decimal(20))
        for number in range(initiatives)
    ]
    PersonFactory(organization=organization)
    for number in range(tasks):
        done = number % 4 == 0
        TaskFactory(
            organization=organization,
            initiative=work[number % initiatives],
            effort_hours=Decimal(number % 5 + 1) if number % 3 else None,
            status=TaskStatus.DONE if done else TaskStatus.TODO,
            **({"completed_at": f"2026-12-{number % 28 + 1:02d}T12:00:00Z"} if done else {}),
        )


@pytest.mark.parametrize(("initiatives", "tasks"), [(3, 10), (30, 400)])
def test_a_read_costs_the_same_few_queries_whatever_the_size(
    org, client_as, django_assert_num_queries, initiatives, tasks
):
    # given an organization of that many initiatives and tasks
    grow(org, initiatives, tasks)
    client = client_as(Role.VIEWER)
    # when the cut line is read: the membership, then in one consistent read (a savepoint inside the
    # test's transaction, and on PostgreSQL its two settings) the objectives, the candidates, the
    # people and the candidates' task tallies
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 7):
        response = client.get(cut_line_url(org, as_of=D, limit=500))
    # then every initiative is ranked
    assert response.status_code == 200
    assert response.json()["initiative_count"] == initiatives
