"""Telling an account's owner that failed sign-ins locked it (django-axes' `user_locked_out`).

Failures on one username from any addresses lock the account for AXES_COOLOFF_TIME hours (settings);
its owner gets one email per lockout, which says so and what to do if it was not them. Nothing is
said to whoever is signing in (the page is the same whether or not the account exists).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from redis.exceptions import RedisError

logger = logging.getLogger("execgap.security")

SUBJECT = "Your ExecGap account was locked after failed sign-ins"
BODY = """Someone tried to sign in to your ExecGap account ({username}) with a wrong password {limit} times,
so sign-ins to it are refused for the next {hours} hour(s), wherever they come from.

If that was you, wait and try again, or reset your password from the sign-in page.
If it was not, your password held; consider changing it once the lock ends.
"""


def account_lockout_notify(*, username: str | None, ip_address: str | None) -> bool:
    """Email the owner of `username` that the account is locked, once per lockout. Returns whether
    an email was sent (not for an unknown username, an owner without an email, or a repeat)."""
    if not username:
        return False
    user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    if user is None or not user.email:
        return False
    hours = int(settings.AXES_COOLOFF_TIME)
    try:
        if not cache.add(f"execgap:lockout-notified:{user.pk}", 1, timeout=hours * 3600):
            return False
    except (RedisError, OSError):
        pass  # better twice than never
    logger.warning("Account %s locked after failed sign-ins (last from %s).", user.pk, ip_address)
    send_mail(
        SUBJECT,
        BODY.format(username=username, limit=settings.AXES_FAILURE_LIMIT, hours=hours),
        None,
        [user.email],
    )
    return True


def on_user_locked_out(
    sender: Any, *, username: str | None = None, ip_address: str | None = None, **_: Any
) -> None:
    account_lockout_notify(username=username, ip_address=ip_address)
