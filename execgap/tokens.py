"""Personal API tokens: signing in for one, creating, listing and revoking (the one way in for tokens).

A token belongs to one user and acts with that user's roles in each of their organizations, as
they are at the time of each request (it is bound to no organization): removing a member from an
organization, or changing their role, takes effect on the token's next request.

Only a digest of a token is stored (django-rest-knox): the token itself is returned once, by
`token_create`, and never again. `token_key`, its first characters, names it in lists and logs.

Sign-ins, creations and revocations are logged to the `execgap.security` logger, never with a
password or a token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone

from execgap.models import ApiToken

security_log = logging.getLogger("execgap.security")

# Each authentication with a token reads every token of its user (knox removes the expired ones),
# so a user's live tokens are bounded.
MAX_TOKENS_PER_USER = 100
MAX_EXPIRY_DAYS = 3650
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length or 100

LOGIN_REFUSED = "Unable to sign in with this username and password."


class LockedOutError(Exception):
    """Too many failed sign-ins for this username from this address: refused until `retry_after`."""

    def __init__(self, message: str, *, retry_after: timedelta | None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenNotFound(ObjectDoesNotExist):
    """The user has no token with this key (someone else's token is not found either)."""


@dataclass(frozen=True)
class CreatedToken:
    """A new token: `token` is the secret, shown to its user this once; `instance` is what is stored."""

    instance: ApiToken
    token: str


def tokens_of(*, user: Any) -> models.QuerySet[ApiToken]:
    """The user's own tokens, newest first (expired ones too, until knox removes them on use)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created", "token_key")


def token_login(*, request: Any, username: str, password: str) -> Any:
    """The active user these credentials belong to, for a token; else `LockedOutError` or `ValidationError`.

    `request` must be the request being served: django-axes (the first authentication backend)
    counts each failure against the username and the caller's address and, past
    `AXES_FAILURE_LIMIT`, refuses even the right password until the cool-off has passed. Axes marks
    a refused request with `axes_locked_out`; with Django REST framework the mark lands on the REST
    framework request that is passed here, so the API answers the lockout itself (a 429 in the API's
    error shape) rather than through axes' middleware, which renders a page.
    """
    user = authenticate(request=request, username=username, password=password)
    if user is not None:
        return user
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    if getattr(request, "axes_locked_out", False):
        from axes.helpers import get_cool_off, get_lockout_message

        security_log.warning("API sign-in locked out: username=%r address=%s", username, address)
        raise LockedOutError(str(get_lockout_message()), retry_after=get_cool_off(request))
    security_log.warning("API sign-in failed: username=%r address=%s", username, address)
    raise ValidationError({NON_FIELD_ERRORS: [LOGIN_REFUSED]})


def token_create(*, user: Any, name: str, expires_in_days: int | None = None) -> CreatedToken:
    """A new token of `user`, named `name`, that expires after `expires_in_days` days (None: never).

    Refused (ValidationError) when the name is blank or too long, the days are not within
    1..MAX_EXPIRY_DAYS, or the user already has MAX_TOKENS_PER_USER live tokens.
    """
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["This field may not be blank."]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [f"Ensure this field has no more than {NAME_MAX_LENGTH} characters."]
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        errors["expires_in_days"] = [f"Must be between 1 and {MAX_EXPIRY_DAYS} days."]
    if errors:
        raise ValidationError(errors)
    expiry = timedelta(days=expires_in_days) if expires_in_days is not None else None
    with transaction.atomic():
        # The user's row is the lock: two requests at once cannot both pass the limit.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        live = tokens_of(user=user).filter(
            models.Q(expiry__isnull=True) | models.Q(expiry__gt=timezone.now())
        )
        if live.count() >= MAX_TOKENS_PER_USER:
            raise ValidationError(
                {NON_FIELD_ERRORS: [f"You have {MAX_TOKENS_PER_USER} tokens: revoke one you no longer use."]}
            )
        instance, token = ApiToken.objects.create(user=user, expiry=expiry, name=name)
    security_log.info(
        "API token created: user=%s username=%r token_key=%s name=%r expiry=%s",
        user.pk, user.get_username(), instance.token_key, name, instance.expiry or "never",
    )  # fmt: skip
    return CreatedToken(instance=instance, token=token)


def token_revoke(*, user: Any, token_key: str) -> None:
    """Revoke the user's token named by `token_key`: it authenticates nothing from now on.

    `TokenNotFound` when the user has no such token (another user's token is not found either).
    """
    deleted, _ = tokens_of(user=user).filter(token_key=token_key).delete()
    if not deleted:
        raise TokenNotFound("No such token.")
    security_log.info(
        "API token revoked: user=%s username=%r token_key=%s", user.pk, user.get_username(), token_key
    )
