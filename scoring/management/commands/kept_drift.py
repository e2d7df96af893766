"""`python manage.py kept_drift [--org SLUG] [--as-of YYYY-MM-DD] [--rebuild]`: check the staffing drift
kept between recomputes (`scoring.drift_kept`) against a count from scratch at D (by default the D
each organization's counts were last kept for).

Without `--rebuild` it only reads, and exits with an error when any organization's kept counts differ
from a count (naming the initiatives); with it, every organization's drift is counted whole again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from execgap.models import Organization
from scoring.drift_kept import drift_kept_as_of, drift_kept_differences, drift_kept_rebuild
from scoring.engine.inputs import InitiativeDrift
from scoring.fetch import parameters_at

SHOWN_INITIATIVES = 10


def _shown(drift: InitiativeDrift | None) -> str:
    if drift is None:
        return "no drift"
    return (
        f"{drift.unallocated_people} unallocated ({drift.unplanned_effort} h), {drift.idle_people} idle"
        f" ({drift.idle_allocations} allocations, {drift.idle_hours} h/week)"
    )


class Command(BaseCommand):
    help = "Check (and with --rebuild count again) the staffing drift kept between recomputes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", metavar="SLUG", help="The organization's slug (default: all).")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date D (default: the D the counts were last kept for; with --rebuild, today, UTC).",
        )
        parser.add_argument("--rebuild", action="store_true", help="Count every organization's drift again.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = self._as_of(options["as_of"])
        if as_of is None and options["rebuild"]:
            as_of = datetime.now(UTC).date()
        organizations = Organization.objects.order_by("slug")
        if options["org"]:
            organizations = organizations.filter(slug=options["org"])
            if not organizations.exists():
                raise CommandError(f"No organization with the slug {options['org']!r}.")
        differing = []
        for organization in organizations:
            kept_as_of = as_of or drift_kept_as_of(organization_id=organization.pk)
            if kept_as_of is None:
                self.stdout.write(
                    f"{organization.slug}: no staffing drift kept yet (counted at the first recompute)"
                )
                continue
            parameters = parameters_at(organization=organization, as_of=kept_as_of)
            if options["rebuild"]:
                drift_kept_rebuild(organization_id=organization.pk, parameters=parameters)
                self.stdout.write(f"{organization.slug}: staffing drift counted again")
                continue
            differences = drift_kept_differences(organization_id=organization.pk, parameters=parameters)
            if differences is None:
                self.stdout.write(
                    f"{organization.slug}: no staffing drift kept for {kept_as_of.isoformat()} with the"
                    " organization's current settings (counted whole at its next recompute)"
                )
                continue
            if not differences:
                self.stdout.write(
                    f"{organization.slug}: kept staffing drift at {kept_as_of} agrees with a count"
                )
                continue
            differing.append(organization.slug)
            self.stdout.write(
                f"{organization.slug}: kept staffing drift of {len(differences)} initiatives differs:"
            )
            for initiative_id, (kept, counted) in list(differences.items())[:SHOWN_INITIATIVES]:
                self.stdout.write(
                    f"  initiative {initiative_id}: kept {_shown(kept)}; counted {_shown(counted)}"
                )
        if differing:
            raise CommandError(f"Kept staffing drift differs in {', '.join(differing)}: run with --rebuild.")

    @staticmethod
    def _as_of(value: str | None) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {value!r}.") from None
