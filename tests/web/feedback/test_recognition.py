"""Recognizing a colleague: as oneself, someone of the organization, someone else than oneself."""

from __future__ import annotations

import pytest

from execgap.models import Role
from feedback.models import Recognition
from tests.conftest import person_of
from tests.factories import InitiativeFactory, PersonFactory
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db


def test_a_member_recognizes_a_colleague_for_an_initiative(client, signed_in, org):
    # given a member, a colleague and an initiative
    me = person_of(signed_in(Role.MEMBER))
    colleague = PersonFactory(organization=org, name="Dana")
    initiative = InitiativeFactory(organization=org)
    # when they send a recognition
    response = client.post(
        org_url("recognition_create", org),
        {
            "to_person": colleague.pk,
            "message": "Saved the launch",
            "initiative": initiative.pk,
            "from_person": me.pk,
        },
    )
    # then it is saved from them, and they land on my work, where it shows
    recognition = Recognition.objects.get()
    assert (recognition.from_person, recognition.to_person, recognition.initiative) == (
        me,
        colleague,
        initiative,
    )
    assert response["Location"] == org_url("my_work", org)
    page = client.get(response["Location"]).content.decode()
    assert "You recognized Dana." in page
    assert "Saved the launch" in page


def test_the_colleague_choice_is_limited_to_the_organizations_active_people(
    client, signed_in, org, other_org
):
    # given people here, someone inactive, and someone of another organization
    signed_in(Role.MEMBER)
    PersonFactory(organization=org, name="Here")
    PersonFactory(organization=org, name="Gone", active=False)
    PersonFactory(organization=other_org, name="Elsewhere")
    # when the form is opened
    choices = [
        label
        for _, label in client.get(org_url("recognition_create", org))
        .context["form"]
        .fields["to_person"]
        .choices
    ]
    # then only the organization's active people are offered
    assert "Here" in choices
    assert "Gone" not in choices
    assert "Elsewhere" not in choices


def test_a_member_may_not_give_recognition_as_someone_else(client, signed_in, org):
    # given a member and two colleagues
    signed_in(Role.MEMBER)
    ana, bo = PersonFactory(organization=org), PersonFactory(organization=org)
    # when they post a recognition from one colleague to the other
    response = client.post(
        org_url("recognition_create", org),
        {"to_person": bo.pk, "message": "Kept words", "from_person": ana.pk},
    )
    # then it is refused beside the "from" field, the input is kept and nothing is saved
    assert response.status_code == 400
    assert response.context["form"].errors["from_person"] == ["You may only give recognition as yourself."]
    assert "Kept words" in response.content.decode()
    assert not Recognition.objects.exists()


def test_recognizing_oneself_is_refused(client, signed_in, org):
    # given a member
    me = person_of(signed_in(Role.MEMBER))
    # when they recognize themselves
    response = client.post(org_url("recognition_create", org), {"to_person": me.pk, "message": "Me!"})
    # then it is refused beside the colleague field
    assert response.status_code == 400
    assert "to_person" in response.context["form"].errors
    assert not Recognition.objects.exists()


@pytest.mark.parametrize("data", [{"message": ""}, {"message": "Thanks", "to_person": ""}])
def test_an_incomplete_recognition_is_refused(client, signed_in, org, data):
    # given a member and a colleague
    signed_in(Role.MEMBER)
    colleague = PersonFactory(organization=org)
    # when they post a recognition missing its message or its colleague
    response = client.post(org_url("recognition_create", org), {"to_person": colleague.pk, **data})
    # then it is refused and nothing is saved
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Recognition.objects.exists()


def test_a_person_of_another_organization_in_the_form_is_refused(client, signed_in, org, other_org):
    # given a member and a person of another organization
    signed_in(Role.MEMBER)
    foreign = PersonFactory(organization=other_org)
    # when they recognize that person
    response = client.post(org_url("recognition_create", org), {"to_person": foreign.pk, "message": "Hi"})
    # then the field refuses it and nothing is saved
    assert response.status_code == 400
    assert "to_person" in response.context["form"].errors
    assert not Recognition.objects.exists()
