"""What the `kept_*` commands share: check sums kept between recomputes against a count from scratch at
D (by default the D each organization's were last kept for), or with `--rebuild` count them again.

Without `--rebuild` a command only reads, and exits with an error when any organization's kept sums
differ from a count (naming where); with it, every organization's are counted again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.engine.inputs import Parameters
from scoring.fetch import parameters_at
from scoring.management.options import as_of_chosen, organizations_chosen

SHOWN_DIFFERENCES = 10


class KeptCommand(BaseCommand):
    """A subclass names what it keeps (`what`) and how to read, check and rebuild it."""

    what = ""

    def kept_as_of(self, organization_id: int) -> date | None:
        """The D the organization's sums were last kept for; None when nothing is kept yet."""
        raise NotImplementedError

    def differences(self, organization_id: int, parameters: Parameters) -> list[str] | None:
        """One line per difference (empty: they agree); None when nothing is kept for `parameters`."""
        raise NotImplementedError

    def rebuild(self, organization_id: int, parameters: Parameters) -> None:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", metavar="SLUG", help="The organization's slug (default: all).")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date D (default: the D the sums were last kept for; with --rebuild, today, UTC).",
        )
        parser.add_argument("--rebuild", action="store_true", help="Count every organization's sums again.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = as_of_chosen(options["as_of"])
        if as_of is None and options["rebuild"]:
            as_of = datetime.now(UTC).date()
        differing = []
        for organization in organizations_chosen(options["org"]):
            kept_as_of = as_of or self.kept_as_of(organization.pk)
            if kept_as_of is None:
                self.stdout.write(
                    f"{organization.slug}: no {self.what} kept yet (counted at the first recompute)"
                )
                continue
            parameters = parameters_at(organization=organization, as_of=kept_as_of)
            if options["rebuild"]:
                self.rebuild(organization.pk, parameters)
                self.stdout.write(f"{organization.slug}: {self.what} counted again")
                continue
            differences = self.differences(organization.pk, parameters)
            if differences is None:
                self.stdout.write(
                    f"{organization.slug}: no {self.what} kept for {kept_as_of.isoformat()} with the"
                    " organization's current settings (counted whole at its next recompute)"
                )
            elif not differences:
                self.stdout.write(
                    f"{organization.slug}: kept {self.what} at {kept_as_of} agrees with a count"
                )
            else:
                differing.append(organization.slug)
                self.stdout.write(
                    f"{organization.slug}: kept {self.what} differs from a count in {len(differences)}:"
                )
                for line in differences[:SHOWN_DIFFERENCES]:
                    self.stdout.write(f"  {line}")
        if differing:
            raise CommandError(f"Kept {self.what} differs in {', '.join(differing)}: run with --rebuild.")
