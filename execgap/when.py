"""How long ago something happened, as people say it: "just now", "today", "3 hours ago"."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.timesince import timesince


def time_ago(
    moment: datetime.datetime | datetime.date, now: datetime.datetime | datetime.date | None = None
) -> str:
    """How long ago `moment` was, as people say it: "just now" (under a minute), "today" (a date of
    today), else "3 hours ago", "2 days ago" (Django's `timesince`, its largest two units)."""
    if now is None:
        now = timezone.now() if isinstance(moment, datetime.datetime) else timezone.localdate()
    if isinstance(moment, datetime.datetime) != isinstance(now, datetime.datetime):
        raise TypeError("time_ago compares a datetime with a datetime, or a date with a date.")
    if isinstance(moment, datetime.datetime):
        if (now - moment).total_seconds() < 60:
            return "just now"
    elif now <= moment:
        return "today"
    return f"{timesince(moment, now)} ago"
