"""The check-in form: value (key results), confidence, note; members check in as themselves only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from execgap.models import Role
from feedback.models import CheckIn
from tests.conftest import person_of
from tests.factories import InitiativeFactory, KeyResultFactory, ObjectiveFactory, PersonFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def _post(client, org, query: dict, data: dict):
    url = org_url("check_in_create", org)
    return client.post(f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}", data)


def test_a_member_checks_in_on_a_key_result_and_goes_to_its_objective(client, signed_in, org):
    # given a member and a key result
    me = person_of(signed_in(Role.MEMBER))
    key_result = KeyResultFactory(organization=org, title="Churn below 2%")
    # when they open the form from the key result and check in
    form = client.get(org_url("check_in_create", org), {"key_result": key_result.pk})
    data = {
        "key_result": key_result.pk,
        "value": "42.5",
        "confidence": "7",
        "note": "On track",
        "author": me.pk,
    }
    response = _post(client, org, {"key_result": key_result.pk}, data)
    # then the form named it and had a "Check in" button; the check-in is saved as theirs
    assert "Check in on Churn below 2%" in form.content.decode()
    assert "Check in</button>" in form.content.decode()
    check_in = CheckIn.objects.get()
    assert (check_in.key_result, check_in.author, check_in.value) == (key_result, me, Decimal("42.5"))
    assert (check_in.confidence, check_in.note) == (7, "On track")
    # and they are taken to the key result's objective
    assert response.status_code == 302
    assert response["Location"] == org_url("objective_detail", org, pk=key_result.objective_id)


def test_a_check_in_on_an_initiative_goes_back_to_a_safe_next_page(client, signed_in, org):
    # given a member and an initiative
    signed_in(Role.MEMBER)
    initiative = InitiativeFactory(organization=org)
    my_work = org_url("my_work", org)
    # when they check in from my work (no author chosen: the service writes it as theirs)
    response = _post(
        client,
        org,
        {"initiative": initiative.pk, "next": my_work},
        {"initiative": initiative.pk, "confidence": "5"},
    )
    # then they are taken back to my work
    assert response["Location"] == my_work
    assert CheckIn.objects.get().initiative == initiative


def test_an_unsafe_next_page_is_ignored(client, signed_in, org):
    # given a member and an initiative
    signed_in(Role.MEMBER)
    initiative = InitiativeFactory(organization=org)
    # when the check-in asks to go to another site afterwards
    response = _post(
        client, org, {"initiative": initiative.pk, "next": "https://evil.example/"},
        {"initiative": initiative.pk, "confidence": "5"},
    )  # fmt: skip
    # then they go to the initiative's page instead
    assert response["Location"] == org_url("initiative_detail", org, pk=initiative.pk)


def test_a_member_may_not_check_in_as_someone_else(client, signed_in, org):
    # given a member and a colleague
    signed_in(Role.MEMBER)
    colleague = PersonFactory(organization=org, name="Colleague")
    initiative = InitiativeFactory(organization=org)
    # when they post a check-in as the colleague
    response = _post(
        client, org, {"initiative": initiative.pk},
        {"initiative": initiative.pk, "confidence": "5", "note": "Kept", "author": colleague.pk},
    )  # fmt: skip
    # then it is refused beside the author field, the input is kept, and nothing is saved
    assert response.status_code == 400
    assert response.context["form"].errors["author"] == ["You may only check in as yourself."]
    assert "Kept" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_lead_may_check_in_for_a_colleague(client, signed_in, org):
    # given a lead and a colleague
    signed_in(Role.LEAD)
    colleague = PersonFactory(organization=org)
    objective = ObjectiveFactory(organization=org)
    # when they check in on an objective as the colleague
    response = _post(
        client,
        org,
        {"objective": objective.pk},
        {"objective": objective.pk, "confidence": "8", "author": colleague.pk},
    )
    # then it is saved as the colleague's
    assert response.status_code == 302
    assert CheckIn.objects.get().author == colleague


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"confidence": "11"}, "confidence"),
        ({"confidence": "-1"}, "confidence"),
        ({"confidence": "lots"}, "confidence"),
        ({"confidence": "5", "value": "3"}, "value"),  # a value on an initiative
    ],
)
def test_an_invalid_check_in_shows_the_error_beside_its_field_and_saves_nothing(
    client, signed_in, org, data, field
):
    # given a member and an initiative
    signed_in(Role.MEMBER)
    initiative = InitiativeFactory(organization=org)
    # when they post an invalid check-in
    response = _post(
        client, org, {"initiative": initiative.pk}, {"initiative": initiative.pk, "note": "Mine", **data}
    )
    # then the form comes back (400) with the error beside the field and the input kept
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Mine" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_check_in_on_nothing_is_refused(client, signed_in, org):
    # given a member
    signed_in(Role.MEMBER)
    # when they post a check-in without choosing what it is on
    response = client.post(org_url("check_in_create", org), {"confidence": "5"})
    # then it is refused and nothing is saved
    assert response.status_code == 400
    assert "exactly one" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_another_organizations_key_result_in_the_form_is_refused(client, signed_in, org, other_org):
    # given a member and a key result of another organization
    signed_in(Role.MEMBER)
    foreign = KeyResultFactory(organization=other_org)
    # when they post a check-in on it (the chooser form, no id in the URL)
    response = client.post(org_url("check_in_create", org), {"key_result": foreign.pk, "confidence": "5"})
    # then the field refuses it and nothing is saved
    assert response.status_code == 400
    assert "key_result" in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_without_a_target_the_form_offers_the_choice(client, signed_in, org):
    # given a member and a key result
    signed_in(Role.MEMBER)
    key_result = KeyResultFactory(organization=org, title="Ship v2")
    # when they open the form with nothing chosen, then look for the key result (Find)
    url = org_url("check_in_create", org)
    page = client.get(url).content.decode()
    found = client.post(url, {"_find": "key_result", "key_result__q": "ship"})
    # then they may choose what to check in on: the key result is found, and nothing was saved
    assert 'name="key_result"' in page
    assert 'name="key_result__q"' in page
    assert found.status_code == 200
    assert f'<option value="{key_result.pk}">Ship v2</option>' in found.content.decode()
    assert not CheckIn.objects.exists()


def test_the_key_results_numbers_are_shown_plainly(client, signed_in, org):
    # given a key result from 0 to 1000 users, now at 250.5
    signed_in(Role.MEMBER)
    key_result = KeyResultFactory(
        organization=org, unit="users", start_value=0, target_value=1000, current_value=Decimal("250.5")
    )
    # when its check-in form is opened
    page = client.get(org_url("check_in_create", org), {"key_result": key_result.pk}).content.decode()
    # then its numbers read as written (no trailing zeros, no exponent)
    assert "from 0 to 1000 users, now 250.5 users" in page


@pytest.mark.parametrize(("role", "offered"), [(Role.MEMBER, False), (Role.LEAD, True), (Role.ADMIN, True)])
def test_only_roles_that_may_write_for_others_are_offered_the_person(client, signed_in, org, role, offered):
    # given a member of the role, and a colleague
    me = person_of(signed_in(role))
    PersonFactory(organization=org, name="Colleague")
    # when they open the check-in form
    page = client.get(org_url("check_in_create", org)).content.decode()
    # then a member is told they check in as themselves; the others may choose the colleague
    assert ('<select name="author"' in page) is offered
    assert (f"You check in as {me.name}." in page) is not offered
