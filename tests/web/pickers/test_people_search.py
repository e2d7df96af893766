"""The people search behind every person picker: active people, ranked by name (or found by email),
the team's people first when the picker asks, at most 20, the organization's only, constant queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from execgap.models import Role
from objectives.models import InitiativeStatus
from resources.models import Person
from tests.conftest import person_of
from tests.factories import AllocationFactory, InitiativeFactory, PersonFactory, TeamFactory
from tests.web.conftest import org_url, query_count
from tests.web.pickers.conftest import found, labels, notes, offered

pytestmark = pytest.mark.django_db


def search(client, org, **params):
    return client.get(org_url("people_search", org), params)


def test_people_are_ranked_exact_then_prefix_then_substring(client, signed_in, org):
    # given people whose names hold "ann" in different places
    signed_in(Role.MEMBER)
    joanna = PersonFactory(organization=org, name="Joanna Berg")
    ann = PersonFactory(organization=org, name="Ann")
    anna = PersonFactory(organization=org, name="Anna Lind")
    annika = PersonFactory(organization=org, name="annika Roos")
    PersonFactory(organization=org, name="Bo Sten")
    # when a person picker searches "Ann"
    response = search(client, org, q="Ann")
    # then exact, then prefixes by name (case does not matter), then the name holding it
    assert found(response) == [str(p.pk) for p in (ann, anna, annika, joanna)]


def test_only_active_people_are_offered(client, signed_in, org):
    # given a colleague who left
    signed_in(Role.MEMBER)
    stays = PersonFactory(organization=org, name="Mia Stays")
    PersonFactory(organization=org, name="Mia Left", active=False)
    # when the picker searches "mia"
    response = search(client, org, q="mia")
    # then only the active one is found
    assert found(response) == [str(stays.pk)]


def test_a_person_is_found_by_email_with_their_team_beside_them(client, signed_in, org):
    # given a person with an email, in a team
    signed_in(Role.MEMBER)
    team = TeamFactory(organization=org, name="Payments")
    person = PersonFactory(organization=org, name="Mia Wong", email="mia.w@acme.test", team=team)
    # when the picker searches part of the email
    response = search(client, org, q="mia.w@")
    # then the person is found, labelled by name, their team, load and email beside them
    assert found(response) == [str(person.pk)]
    assert labels(response) == ["Mia Wong"]
    assert "team Payments · 0 of 40 h/week · mia.w@acme.test" in response.content.decode()


def test_with_a_team_its_people_come_first_then_everyone_else(client, signed_in, org):
    # given a team and people in it and elsewhere (the lead is an active person too)
    lead = person_of(signed_in(Role.LEAD))
    lead.name = "Zed Lead"
    lead.save()
    team, other = TeamFactory(organization=org), TeamFactory(organization=org)
    outside_a = PersonFactory(organization=org, name="Alex Out", team=other)
    inside_z = PersonFactory(organization=org, name="Zoe In", team=team)
    inside_b = PersonFactory(organization=org, name="Ben In", team=team)
    nobody = PersonFactory(organization=org, name="Cleo Nowhere")
    # when the assignee picker of that team's task searches with nothing typed, then with a letter
    browse = search(client, org, team=team.pk)
    typed = search(client, org, team=team.pk, q="e")
    # then the team's people come first, each group by name
    assert found(browse) == [str(p.pk) for p in (inside_b, inside_z, outside_a, nobody, lead)]
    assert found(typed)[:2] == [str(inside_b.pk), str(inside_z.pk)]
    assert found(typed)[2:4] == [str(outside_a.pk), str(nobody.pk)]


def test_at_most_twenty_people_and_a_note_that_there_are_more(client, signed_in, org):
    # given 30 people named alike
    signed_in(Role.MEMBER)
    for number in range(30):
        PersonFactory(organization=org, name=f"Sam {number:02d}")
    # when the picker searches "sam"
    response = search(client, org, q="sam")
    # then the first 20 by name, and a note that there are more
    assert labels(response) == [f"Sam {number:02d}" for number in range(20)]
    assert notes(response) == ["The first 20 matches: type more to narrow them."]


def test_another_organizations_people_are_never_found(client, signed_in, org, other_org):
    # given a person of the same name in another organization, and a team of that organization
    signed_in(Role.ADMIN)
    ours = PersonFactory(organization=org, name="Mia Wong")
    theirs_team = TeamFactory(organization=other_org)
    PersonFactory(organization=other_org, name="Mia Wong", team=theirs_team)
    # when the picker searches, even naming the other organization's team
    response = search(client, org, q="mia", team=theirs_team.pk)
    # then only this organization's person is found
    assert found(response) == [str(ours.pk)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"team": "payments"}, "“team” must be the id of a row (a whole number)."),
        ({"q": "a" * 201}, "The search is too long: use at most 200 characters."),
    ],
)
def test_a_search_that_cannot_be_read_says_why(client, signed_in, org, params, message):
    # given a member
    signed_in(Role.MEMBER)
    # when the parameters cannot be read
    response = search(client, org, **params)
    # then 400, with the reason as the list's only line
    assert response.status_code == 400
    assert notes(response) == [message]


def test_a_search_runs_as_many_queries_for_many_people_as_for_few(client, signed_in, org):
    # given a member and a team
    signed_in(Role.MEMBER)
    team = TeamFactory(organization=org)
    url = org_url("people_search", org)
    client.get(url)  # the session's first request does one-off work

    def grow(count):
        for number in range(count):
            PersonFactory(organization=org, name=f"Sam {number}", team=team if number % 2 else None)

    grow(3)
    few = [query_count(client, f"{url}?q=sam"), query_count(client, f"{url}?q=sam&team={team.pk}")]
    grow(40)
    for person in Person.objects.for_org(org).filter(name__startswith="Sam")[:30]:
        AllocationFactory.create_batch(2, organization=org, person=person)
    many = [query_count(client, f"{url}?q=sam"), query_count(client, f"{url}?q=sam&team={team.pk}")]
    # then the queries stay the same: the sign-in, one search, the names of the teams it found and
    # the loads of the people it found
    assert few == many == [6, 6]


def test_each_person_shows_their_load_today_against_their_capacity_over_capacity_flagged(
    client, signed_in, org
):
    # given two people: one given 30 of 40 hours, one given 50 of 40 (an ended, a future and a
    # paused initiative's allocations do not count)
    signed_in(Role.LEAD)
    today = timezone.localdate()
    busy = PersonFactory(organization=org, name="Ada Busy", weekly_capacity_hours=40)
    over = PersonFactory(organization=org, name="Bo Over", weekly_capacity_hours=40)
    AllocationFactory(organization=org, person=busy, hours_per_week=Decimal("30"))
    AllocationFactory(organization=org, person=over, hours_per_week=Decimal("32.5"))
    AllocationFactory(organization=org, person=over, hours_per_week=Decimal("17.5"), start_date=today)
    AllocationFactory(organization=org, person=busy, hours_per_week=9, end_date=today - timedelta(days=1))
    AllocationFactory(organization=org, person=busy, hours_per_week=9, start_date=today + timedelta(days=1))
    paused = InitiativeFactory(organization=org, status=InitiativeStatus.ON_HOLD)
    AllocationFactory(organization=org, person=busy, initiative=paused, hours_per_week=9)
    # when the staffing picker lists people
    response = search(client, org, q="b")
    page = response.content.decode()
    # then each one's load is beside them, and the one over capacity is flagged
    assert labels(response) == ["Bo Over", "Ada Busy"]
    assert "no team · 30 of 40 h/week" in page
    assert "no team · 50 of 40 h/week" in page
    assert page.count("over capacity") == 1
    assert page.index("over capacity") > page.index("Bo Over")


def test_without_script_the_staffing_forms_find_offers_each_person_with_team_and_load(client, signed_in, org):
    # given a lead, a team's initiative and two people, one of that team and over capacity
    signed_in(Role.EXECUTIVE)
    team = TeamFactory(organization=org, name="Platform")
    initiative = InitiativeFactory(organization=org, team=team)
    mine = PersonFactory(organization=org, name="Zoe Mine", team=team, weekly_capacity_hours=20)
    other = PersonFactory(organization=org, name="Al Other")
    AllocationFactory(organization=org, person=mine, hours_per_week=25)
    # when the staffing form's Find is pressed with nothing typed
    url = org_url("allocation_create", org)
    response = client.post(
        f"{url}?initiative={initiative.pk}", {"initiative": initiative.pk, "_find": "person"}
    )
    # then the select offers the initiative's team first, each with their team and load
    page = response.content.decode()
    choices = offered(response, "person")
    assert choices.index(str(mine.pk)) < choices.index(str(other.pk))
    assert "Zoe Mine (over capacity, team Platform · 25 of 20 h/week)" in page
    assert "Al Other (no team · 0 of 40 h/week)" in page
