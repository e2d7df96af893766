"""Sign-up and invitations: the one way in for new users and for joining an organization.

An invitation is created by an admin of the organization (the rule table's MEMBERSHIP CREATE), sent
by email once the transaction that stores it has committed, and accepted at most once, before it
expires, by a signed-in user: they become a member with the invited role. Its link carries the
secret token; only its digest is stored (`accounts.models.token_digest`).

Creations, acceptances and revocations are logged to the `execgap.security` logger, never with a token.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus, token_digest
from accounts.selectors import invitation_by_token
from execgap.events import Event, EventKind, publish
from execgap.models import Membership, Organization
from execgap.roles import Action, Resource, require
from resources.models import Person

security_log = logging.getLogger("execgap.security")


ALREADY_MEMBER = "{email} is already a member of this organization."
ALREADY_INVITED = "{email} already has a pending invitation: resend it from the invitations, or revoke it."
# How soon an invitation may be sent again after a resend.
RESEND_INTERVAL = timedelta(minutes=2)
RESENT_RECENTLY = (
    "The invitation of {email} was sent again a moment ago: it can be resent in {seconds} seconds, "
    "if it has still not arrived."
)
USERNAME_TAKEN = "A user with that username already exists."
EMAIL_TAKEN = "An account with this email address already exists. Log in, or reset your password."

UNAVAILABLE_MESSAGES = {
    InvitationStatus.ACCEPTED: "This invitation has already been used. Each invitation link works once.",
    InvitationStatus.REVOKED: "This invitation was withdrawn by an administrator of the organization.",
    InvitationStatus.EXPIRED: "This invitation has expired. Ask an administrator to send you a new one.",
}


class InvitationUnavailableError(Exception):
    """The invitation exists but lets nobody in any more: `status` says why, `message` for the user."""

    def __init__(self, status: InvitationStatus) -> None:
        self.status = status
        self.message = UNAVAILABLE_MESSAGES[status]
        super().__init__(self.message)


class AlreadyMemberError(Exception):
    """The user accepting an invitation already belongs to its organization (nothing was changed)."""

    def __init__(self, membership: Membership) -> None:
        self.membership = membership
        super().__init__(f"You are already a member of {membership.organization}.")


@dataclass
class CreatedInvitation:
    """A new invitation; `link` holds its secret (only the email carries it). `email_sent` is
    False when the mail server refused it (the invitation is kept: resend it later)."""

    instance: Invitation
    link: str
    email_sent: bool | None = None  # None until the transaction commits


def invitation_expiry_days() -> int:
    """How many days an invitation stays valid (setting `EXECGAP_INVITATION_EXPIRY_DAYS`)."""
    return int(settings.EXECGAP_INVITATION_EXPIRY_DAYS)


# Sign-up -----------------------------------------------------------------------------------------


def user_sign_up(*, username: str, email: str, password: str) -> User:
    """A new user. The username and the email address (compared without case) must be unused;
    the password must already have passed the password validators (the sign-up form runs them)."""
    email = User.objects.normalize_email(email.strip())
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [USERNAME_TAKEN]
    if not email:
        errors["email"] = ["This field is required."]
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_TAKEN]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
    except IntegrityError as error:  # the same username signed up a moment ago
        raise ValidationError({"username": [USERNAME_TAKEN]}) from error
    security_log.info("User signed up: user=%s username=%r", user.pk, username)
    return user


# Invitations -------------------------------------------------------------------------------------


def invitation_create(*, actor: Membership, email: str, role: str, base_url: str) -> CreatedInvitation:
    """Invite `email` into the actor's organization with `role` (admins only), and email the link.

    `base_url` is the site's address as the inviting request reached it (`https://host/`): the
    link in the email is absolute. Refused (ValidationError on `email`) when the address already
    belongs to a member or has a pending invitation. The email is sent after the invitation is
    committed (never for one that rolled back).
    """
    require(actor, Resource.MEMBERSHIP, Action.CREATE)
    email = User.objects.normalize_email(email.strip())
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        organization_id=actor.organization_id,
        email=email,
        role=role,
        token_digest=token_digest(token),
        invited_by=actor.user,
        expires_at=now + timedelta(days=invitation_expiry_days()),
    )
    invitation.full_clean()
    with transaction.atomic():
        # The organization's row is the lock: two admins inviting the same address at once send one.
        Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
        require(actor, Resource.MEMBERSHIP, Action.CREATE, invitation)
        members = Membership.objects.filter(organization_id=actor.organization_id, user__email__iexact=email)
        if members.exists():
            raise ValidationError({"email": ALREADY_MEMBER.format(email=email)})
        if (
            Invitation.objects.for_org(actor.organization_id)
            .pending(now=now)
            .filter(email__iexact=email)
            .exists()
        ):
            raise ValidationError({"email": ALREADY_INVITED.format(email=email)})
        invitation.save()
        created = _send_on_commit(invitation, token=token, base_url=base_url, organization=actor.organization)
    security_log.info(
        "Invitation created: organization=%s invitation=%s role=%s by user=%s",
        actor.organization_id, invitation.pk, role, actor.user_id,
    )  # fmt: skip
    return created


def invitation_resend(*, actor: Membership, invitation: Invitation, base_url: str) -> CreatedInvitation:
    """Send a pending or expired invitation again, with a new link valid for the full period
    (admins only). The previous link stops working. Refused (ValidationError) for an invitation
    that was accepted or revoked, whose address has become a member's meanwhile, or that was resent
    less than `RESEND_INTERVAL` ago (an inbox is not flooded by a double click or an impatient admin;
    the first resend is always let through, for an email the mail server refused).
    """
    require(actor, Resource.MEMBERSHIP, Action.CREATE)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        row = (
            Invitation.objects.for_org(actor.organization_id)
            .select_for_update(of=("self",))  # not the inviter's row (a nullable outer join)
            .select_related("invited_by")
            .get(pk=invitation.pk)
        )  # another organization's invitation: DoesNotExist
        require(actor, Resource.MEMBERSHIP, Action.CREATE, row)
        status = row.status
        if status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        f"The invitation of {row.email} is {status.label.lower()}: invite again."
                    ]
                }
            )
        members = Membership.objects.filter(
            organization_id=actor.organization_id, user__email__iexact=row.email
        )
        if members.exists():
            raise ValidationError({NON_FIELD_ERRORS: [ALREADY_MEMBER.format(email=row.email)]})
        # A pending or expired invitation changes only when it is resent: a version past the first
        # is a resend, and its `updated_at` the time of it.
        wait = row.updated_at + RESEND_INTERVAL - timezone.now()
        if row.version > 1 and wait > timedelta(0):
            seconds = max(1, int(wait.total_seconds()))
            raise ValidationError(
                {NON_FIELD_ERRORS: [RESENT_RECENTLY.format(email=row.email, seconds=seconds)]}
            )
        row.token_digest = token_digest(token)
        row.expires_at = timezone.now() + timedelta(days=invitation_expiry_days())
        row.version += 1
        row.save(update_fields=["token_digest", "expires_at", "version", "updated_at"])
        created = _send_on_commit(row, token=token, base_url=base_url, organization=actor.organization)
    security_log.info(
        "Invitation resent: organization=%s invitation=%s by user=%s",
        actor.organization_id, row.pk, actor.user_id,
    )  # fmt: skip
    return created


def _send_on_commit(
    invitation: Invitation, *, token: str, base_url: str, organization: Organization
) -> CreatedInvitation:
    """The invitation's link, and its email sent once the current transaction commits."""
    link = base_url.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})
    created = CreatedInvitation(instance=invitation, link=link)
    transaction.on_commit(lambda: _send_invitation(created, organization=organization))
    return created


def _send_invitation(created: CreatedInvitation, *, organization: Organization) -> None:
    invitation = created.instance
    context = {
        "invitation": invitation,
        "organization": organization,
        "inviter": invitation.invited_by,
        "role": invitation.get_role_display(),
        "link": created.link,
        "expiry_days": invitation_expiry_days(),
    }
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    try:
        send_mail(
            subject=" ".join(subject.split()),
            message=render_to_string("emails/invitation.txt", context),
            html_message=render_to_string("emails/invitation.html", context),
            from_email=None,  # DEFAULT_FROM_EMAIL
            recipient_list=[invitation.email],
        )
    except OSError:  # the mail server refused or is unreachable (smtplib's errors are OSErrors)
        security_log.exception("Invitation email not sent: invitation=%s", invitation.pk)
        created.email_sent = False
    else:
        created.email_sent = True


def invitation_accept(*, token: str, user: Any) -> Membership:
    """Make `user` a member of the invitation's organization, with its role, and use it up.

    Raises `InvitationNotFound` for an unknown token, `InvitationUnavailableError` for one that was
    accepted, revoked or has expired, and `AlreadyMemberError` when the user already belongs to the
    organization; in each case nothing changes. When the user has no person record in the
    organization and one with the invited email has no user yet, it becomes theirs.
    """
    found = invitation_by_token(token)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",)).select_related("organization").get(pk=found.pk)
        )
        now = timezone.now()
        status = invitation.status_at(now)
        if status != InvitationStatus.PENDING:
            raise InvitationUnavailableError(status)
        existing = (
            Membership.objects.select_related("organization")
            .filter(organization_id=invitation.organization_id, user_id=user.pk)
            .first()
        )
        if existing is not None:
            raise AlreadyMemberError(existing)
        membership = Membership(organization=invitation.organization, user=user, role=invitation.role)
        membership.full_clean()
        membership.save()
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.version += 1
        invitation.save(update_fields=["accepted_at", "accepted_by", "version", "updated_at"])
        _link_person(invitation=invitation, user=user)
        publish(
            Event(
                kind=EventKind.INVITATION_ACCEPTED,
                organization_id=invitation.organization_id,
                actor_user_id=user.pk,
                data={
                    "invitation_id": invitation.pk,
                    "email": invitation.email,
                    "role": invitation.role,
                    "user_id": user.pk,
                    "invited_by_user_id": invitation.invited_by_id,
                },
            )
        )
    security_log.info(
        "Invitation accepted: organization=%s invitation=%s role=%s user=%s",
        invitation.organization_id, invitation.pk, invitation.role, user.pk,
    )  # fmt: skip
    return membership


def _link_person(*, invitation: Invitation, user: Any) -> None:
    """Give the new member the person record the admin already made for the invited address, if any.

    Without one, nothing is created: who counts as a person of the plan is an admin's decision.
    """
    people = Person.objects.for_org(invitation.organization_id)
    if people.filter(user_id=user.pk).exists():
        return
    person = people.select_for_update().filter(user__isnull=True, email__iexact=invitation.email).first()
    if person is None:
        return
    person.user = user
    person.full_clean()
    person.version += 1
    person.save(update_fields=["user", "version", "updated_at"])


def invitation_revoke(*, actor: Membership, invitation: Invitation) -> Invitation:
    """Withdraw a pending (or expired) invitation of the actor's organization (admins only).

    An accepted invitation cannot be revoked (the member is removed from the memberships instead);
    one revoked already stays as it was. Either refusal is a ValidationError.
    """
    with transaction.atomic():
        row = (
            Invitation.objects.for_org(actor.organization_id).select_for_update().get(pk=invitation.pk)
        )  # another organization's invitation: DoesNotExist
        require(actor, Resource.MEMBERSHIP, Action.DELETE, row)
        if row.accepted_at is not None:
            raise ValidationError(
                {NON_FIELD_ERRORS: [f"{row.email} has already joined: remove the membership instead."]}
            )
        if row.revoked_at is not None:
            raise ValidationError({NON_FIELD_ERRORS: [f"The invitation of {row.email} is already revoked."]})
        row.revoked_at = timezone.now()
        row.version += 1
        row.save(update_fields=["revoked_at", "version", "updated_at"])
    security_log.info(
        "Invitation revoked: organization=%s invitation=%s by user=%s",
        actor.organization_id, row.pk, actor.user_id,
    )  # fmt: skip
    return row
