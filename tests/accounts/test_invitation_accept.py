"""invitation_accept: a pending invitation lets its holder in once, with its role; nothing else does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import InvitationStatus
from accounts.selectors import InvitationNotFound
from accounts.services import AlreadyMemberError, InvitationUnavailableError, invitation_accept
from execgap.models import Membership, Role
from resources.models import Person
from tests.accounts.factories import make_invitation
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_accepting_makes_the_user_a_member_with_the_invited_role(org):
    # given a pending invitation as executive, and a user
    invitation, token = make_invitation(org, role=Role.EXECUTIVE)
    user = UserFactory()
    # when the user accepts it
    membership = invitation_accept(token=token, user=user)
    # then they are a member with that role, and the invitation is used up by them
    assert (membership.organization, membership.user, membership.role) == (org, user, Role.EXECUTIVE)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == user


def test_an_invitation_works_only_once(org):
    # given an invitation accepted by a first user
    _, token = make_invitation(org)
    invitation_accept(token=token, user=UserFactory())
    # when a second user opens the same link
    second = UserFactory()
    with pytest.raises(InvitationUnavailableError) as refused:
        invitation_accept(token=token, user=second)
    # then they are refused because it was used, and do not join
    assert refused.value.status == InvitationStatus.ACCEPTED
    assert "already been used" in refused.value.message
    assert not Membership.objects.filter(user=second).exists()


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, InvitationStatus.EXPIRED, "expired"),
        ({"revoked_at": timezone.now()}, InvitationStatus.REVOKED, "withdrawn"),
    ],
)
def test_an_expired_or_revoked_invitation_lets_nobody_in(org, fields, status, message):
    # given an invitation that expired, or was revoked
    _, token = make_invitation(org, **fields)
    user = UserFactory()
    # when a user tries to accept it
    with pytest.raises(InvitationUnavailableError) as refused:
        invitation_accept(token=token, user=user)
    # then the refusal says why, and nothing changes
    assert refused.value.status == status
    assert message in refused.value.message
    assert not Membership.objects.filter(user=user).exists()


def test_a_wrong_token_finds_no_invitation(org):
    # given a pending invitation
    _, token = make_invitation(org)
    user = UserFactory()
    # when a user presents a token that differs from it
    with pytest.raises(InvitationNotFound):
        invitation_accept(token=token[:-1] + ("A" if token[-1] != "A" else "B"), user=user)
    # then they join nothing
    assert not Membership.objects.filter(user=user).exists()


def test_a_member_who_accepts_keeps_their_role_and_the_invitation_stays_pending(org):
    # given a viewer of the organization, and an invitation as admin
    membership = MembershipFactory(organization=org, role=Role.VIEWER)
    invitation, token = make_invitation(org, role=Role.ADMIN)
    # when the viewer accepts it
    with pytest.raises(AlreadyMemberError):
        invitation_accept(token=token, user=membership.user)
    # then they are still a viewer and the invitation is still usable
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_person_record_with_the_invited_address_becomes_the_new_members(org):
    # given a person record the admin made for the invited address, not yet linked to a user
    person = PersonFactory(organization=org, email="newcomer@example.com", user=None)
    _, token = make_invitation(org, email="Newcomer@example.com")
    user = UserFactory(email="someone.else@example.com")
    # when a user accepts the invitation
    invitation_accept(token=token, user=user)
    # then that person record is theirs
    person.refresh_from_db()
    assert person.user == user


def test_no_person_record_is_created_for_a_new_member(org):
    # given an invitation to an address no person record has
    _, token = make_invitation(org)
    # when a user accepts it
    user = UserFactory()
    invitation_accept(token=token, user=user)
    # then they are a member without a person record (making one is an admin's decision)
    assert not Person.objects.for_org(org).filter(user=user).exists()


def test_a_person_record_of_another_user_is_not_taken(org):
    # given a person record with the invited address that already belongs to a user
    owner = UserFactory()
    person = PersonFactory(organization=org, email="newcomer@example.com", user=owner)
    _, token = make_invitation(org, email="newcomer@example.com")
    # when another user accepts the invitation
    invitation_accept(token=token, user=UserFactory())
    # then the record stays with its user
    person.refresh_from_db()
    assert person.user == owner
