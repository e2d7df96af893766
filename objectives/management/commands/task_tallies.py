"""`python manage.py task_tallies [--org SLUG] [--rebuild]`: check the kept task tallies (and the assignee
tallies beside them) against the tasks.

Without `--rebuild` it only reads, and exits with an error when any organization's tallies differ from
a recount (naming the keys); with it, the differing organizations are recounted and their scores
marked stale.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from execgap.models import Organization
from objectives.tallies import assignee_tallies_drift, tallies_drift, tallies_repair

SHOWN_KEYS = 10


class Command(BaseCommand):
    help = "Check (and with --rebuild repair) the task tallies the scores read, against the tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", metavar="SLUG", help="The organization's slug (default: all).")
        parser.add_argument("--rebuild", action="store_true", help="Recount the organizations that differ.")

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = Organization.objects.order_by("slug")
        if options["org"]:
            organizations = organizations.filter(slug=options["org"])
            if not organizations.exists():
                raise CommandError(f"No organization with the slug {options['org']!r}.")
        drifted = []
        for organization in organizations:
            if options["rebuild"]:
                repaired = tallies_repair(organization_id=organization.pk)
                verdict = (
                    f"of {_keys(repaired)} differed from the tasks: rebuilt"
                    if repaired
                    else "agree with the tasks"
                )
                self.stdout.write(f"{organization.slug}: tallies {verdict}")
                continue
            drift = tallies_drift(organization_id=organization.pk)
            assignee_drift = assignee_tallies_drift(organization_id=organization.pk)
            if not drift and not assignee_drift:
                self.stdout.write(f"{organization.slug}: tallies agree with the tasks")
                continue
            drifted.append(organization.slug)
            differing = _keys(len(drift) + len(assignee_drift))
            self.stdout.write(f"{organization.slug}: tallies of {differing} differ (kept → counted):")
            shown = [
                (f"objective {objective} initiative {initiative} team {team} {kind} {day}", values)
                for (_, objective, initiative, team, kind, day), values in sorted(drift.items())
            ] + [
                (f"initiative {initiative} assignee {assignee} {kind} {day}", values)
                for (_, initiative, assignee, kind, day), values in sorted(assignee_drift.items())
            ]
            for where, (kept, counted) in shown[:SHOWN_KEYS]:
                self.stdout.write(f"  {where}: {kept or 'nothing'} → {counted or 'nothing'}")
        if drifted:
            raise CommandError(f"Tallies differ from the tasks in {', '.join(drifted)}: run with --rebuild.")


def _keys(count: int) -> str:
    return f"{count} key" if count == 1 else f"{count} keys"
