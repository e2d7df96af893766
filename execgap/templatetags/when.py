"""Dates and times as every page shows them: `{{ task.due_date|day }}` and `{{ item.created_at|ago }}`.

One convention for a date that is not set: an em dash that screen readers read as "not set", never
"None", "No date" or an empty cell.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from execgap.when import time_ago

register = template.Library()

NOT_SET = mark_safe('<span aria-hidden="true">—</span><span class="visually-hidden">not set</span>')


@register.filter
def day(value: datetime.date | None, pattern: str = "j M Y") -> SafeString:
    """A date (or a datetime's day) in `pattern` inside <time>, or the dash read as "not set"."""
    if value is None or value == "":
        return NOT_SET
    machine = value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
    return format_html('<time datetime="{}">{}</time>', machine, date_format(value, pattern))


@register.filter
def ago(
    value: datetime.datetime | datetime.date | None, now: datetime.datetime | datetime.date | None = None
) -> str:
    """How long ago: "just now", "today", "3 hours ago"; the dash read as "not set" for no value."""
    if value is None or value == "":
        return NOT_SET
    return time_ago(value, now)
