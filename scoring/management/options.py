"""The options the scoring commands share: `--org SLUG` and `--as-of YYYY-MM-DD`, read with a clear error."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError
from django.db.models import QuerySet

from execgap.models import Organization


def organizations_chosen(slug: str | None) -> QuerySet[Organization]:
    """The organization of `--org`, by slug, or every organization; an unknown slug is an error."""
    organizations = Organization.objects.order_by("slug")
    if slug:
        organizations = organizations.filter(slug=slug)
        if not organizations.exists():
            raise CommandError(f"No organization with the slug {slug!r}.")
    return organizations


def as_of_chosen(value: str | None) -> date | None:
    """The date of `--as-of`, if given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {value!r}.") from None
