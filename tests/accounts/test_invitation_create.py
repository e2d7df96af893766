"""invitation_create and invitation_revoke: who may invite, whom, and the email that carries the link."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus, token_digest
from accounts.selectors import invitation_by_token
from accounts.services import invitation_create, invitation_revoke
from execgap.models import Role
from tests.accounts.factories import make_invitation

pytestmark = pytest.mark.django_db

BASE_URL = "https://execgap.example/"


def invite(actor, email="newcomer@example.com", role=Role.LEAD):
    return invitation_create(actor=actor, email=email, role=role, base_url=BASE_URL)


def test_an_admin_invites_by_email_and_the_email_carries_a_working_link(
    admin, settings, django_capture_on_commit_callbacks
):
    # given an admin
    settings.DEFAULT_FROM_EMAIL = "ExecGap <noreply@execgap.example>"
    # when they invite an address as team lead
    with django_capture_on_commit_callbacks(execute=True):
        created = invite(admin)
    # then a pending invitation exists, sent once the transaction committed
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "newcomer@example.com", Role.LEAD, admin.user,
    )  # fmt: skip
    assert invitation.status == InvitationStatus.PENDING
    assert created.email_sent is True
    [message] = mail.outbox
    assert message.to == ["newcomer@example.com"]
    assert message.from_email == "ExecGap <noreply@execgap.example>"
    assert admin.organization.name in message.subject
    # and both the text and the HTML part hold the absolute link, whose token opens the invitation
    assert created.link.startswith("https://execgap.example/accounts/invitations/")
    assert created.link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert created.link in html
    token = created.link.rstrip("/").rsplit("/", 1)[1]
    assert invitation_by_token(token) == invitation


def test_only_the_digest_of_the_token_is_stored(admin, django_capture_on_commit_callbacks):
    # when an admin invites someone
    with django_capture_on_commit_callbacks(execute=True):
        created = invite(admin)
    # then the stored row does not hold the token of the link, only its digest
    token = created.link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_digest
    assert invitation.token_digest == token_digest(token)


def test_an_invitation_expires_after_the_configured_days(admin, settings):
    # given invitations that last 2 days
    settings.EXECGAP_INVITATION_EXPIRY_DAYS = 2
    # when an admin invites someone
    before = timezone.now()
    invite(admin)
    # then it expires 2 days later
    expires_at = Invitation.objects.get().expires_at
    assert before + timedelta(days=2) <= expires_at <= timezone.now() + timedelta(days=2)


def test_invitations_last_seven_days_by_default(admin):
    # when an admin invites someone, with no setting
    invite(admin)
    # then the link lasts a week
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_may_invite(member_of, role, django_capture_on_commit_callbacks):
    # given a member who is not an admin
    actor = member_of(role)
    # when they try to invite someone
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        invite(actor)
    # then nothing is stored and nothing is sent
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_address_that_already_belongs_to_a_member_is_refused(admin, member_of):
    # given a member with an email address
    member = member_of(Role.MEMBER)
    # when an admin invites that address (in other letter case)
    with pytest.raises(ValidationError) as refused:
        invite(admin, email=member.user.email.upper())
    # then it is refused beside the email, and nothing is stored
    assert "already a member" in refused.value.message_dict["email"][0]
    assert not Invitation.objects.exists()


def test_an_address_with_a_pending_invitation_is_refused(admin, org):
    # given a pending invitation
    make_invitation(org, email="newcomer@example.com")
    # when an admin invites the same address again
    with pytest.raises(ValidationError) as refused:
        invite(admin, email="Newcomer@Example.com")
    # then it is refused, saying what to do
    assert "pending invitation" in refused.value.message_dict["email"][0]
    assert Invitation.objects.count() == 1


def test_an_expired_or_revoked_invitation_does_not_block_a_new_one(admin, org):
    # given an expired and a revoked invitation of two addresses
    make_invitation(org, email="late@example.com", expires_at=timezone.now() - timedelta(minutes=1))
    make_invitation(org, email="withdrawn@example.com", revoked_at=timezone.now())
    # when an admin invites both again
    invite(admin, email="late@example.com")
    invite(admin, email="withdrawn@example.com")
    # then both have a new pending invitation
    assert Invitation.objects.pending().count() == 2


def test_an_invalid_address_or_role_is_refused_beside_its_field(admin):
    # when an admin invites a malformed address with an unknown role
    with pytest.raises(ValidationError) as refused:
        invite(admin, email="not an address", role="owner")
    # then both fields say why, and nothing is stored
    assert set(refused.value.message_dict) == {"email", "role"}
    assert not Invitation.objects.exists()


def test_no_email_is_sent_for_an_invitation_that_rolled_back(admin, django_capture_on_commit_callbacks):
    # when an invitation is created in a transaction that then fails
    def invite_then_fail():
        with transaction.atomic():
            invite(admin)
            raise RuntimeError("a later step failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        invite_then_fail()
    # then neither the invitation nor its email exist
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_mail_server_failure_keeps_the_invitation_and_says_so(
    admin, monkeypatch, django_capture_on_commit_callbacks
):
    # given a mail server that refuses the message
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"newcomer@example.com": (550, b"no")})

    monkeypatch.setattr("accounts.services.send_mail", refuse)
    # when an admin invites someone
    with django_capture_on_commit_callbacks(execute=True):
        created = invite(admin)
    # then the invitation is kept and the caller is told the email was not sent
    assert created.email_sent is False
    assert Invitation.objects.count() == 1


def test_an_admin_revokes_a_pending_invitation(admin, org):
    # given a pending invitation
    invitation, _ = make_invitation(org)
    # when an admin revokes it
    invitation_revoke(actor=admin, invitation=invitation)
    # then it is revoked and lets nobody in
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_may_revoke(member_of, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, _ = make_invitation(org)
    # when they try to revoke it
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=member_of(role), invitation=invitation)
    # then it stays pending
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_admin_cannot_revoke_an_invitation_of_another_organization(admin, other_org):
    # given an invitation of another organization
    invitation, _ = make_invitation(other_org)
    # when this organization's admin tries to revoke it
    with pytest.raises(Invitation.DoesNotExist):
        invitation_revoke(actor=admin, invitation=invitation)
    # then it stays pending
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_accepted_or_revoked_invitation_cannot_be_revoked(admin, org, member_of):
    # given an accepted and a revoked invitation
    accepted, _ = make_invitation(org, email="in@example.com", accepted_at=timezone.now())
    revoked_at = timezone.now() - timedelta(days=1)
    revoked, _ = make_invitation(org, email="out@example.com", revoked_at=revoked_at)
    # when an admin revokes them
    for invitation, message in ((accepted, "already joined"), (revoked, "already revoked")):
        with pytest.raises(ValidationError) as refused:
            invitation_revoke(actor=admin, invitation=invitation)
        # then each refusal says why, and nothing changes
        assert message in refused.value.messages[0]
    accepted.refresh_from_db()
    revoked.refresh_from_db()
    assert accepted.revoked_at is None
    assert revoked.revoked_at == revoked_at


def test_the_html_email_escapes_what_users_typed(admin, django_capture_on_commit_callbacks):
    # given an organization whose name holds markup
    organization = admin.organization
    organization.name = "<b>Acme</b>"
    organization.save()
    # when an admin invites someone
    with django_capture_on_commit_callbacks(execute=True):
        invite(admin)
    # then the HTML part shows the name as text, and the plain part as typed
    [message] = mail.outbox
    [(html, _)] = message.alternatives
    assert "&lt;b&gt;Acme&lt;/b&gt;" in html
    assert "<b>Acme</b>" not in html
    assert "<b>Acme</b>" in message.body
