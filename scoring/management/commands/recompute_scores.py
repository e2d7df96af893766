"""`python manage.py recompute_scores [--org SLUG] [--as-of YYYY-MM-DD]`: the scores, computed by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from execgap.models import Organization
from scoring.management.options import as_of_chosen, organizations_chosen
from scoring.models import ScoreSnapshot
from scoring.services import scores_recompute

SCORES = ("alignment", "resources", "adaptability", "people", "execution_health")


def _shown(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


class Command(BaseCommand):
    help = "Recompute and store the scores of one organization (--org) or of every organization."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", metavar="SLUG", help="The organization's slug (default: all).")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="The date D (default: today, UTC).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = as_of_chosen(options["as_of"])
        for organization in organizations_chosen(options["org"]):
            snapshot = scores_recompute(organization_id=organization.pk, as_of=as_of)
            self.stdout.write(self._line(organization, snapshot))

    @staticmethod
    def _line(organization: Organization, snapshot: ScoreSnapshot) -> str:
        scores = "  ".join(f"{name} {_shown(getattr(snapshot, name))}" for name in SCORES)
        return f"{organization.slug} ({snapshot.as_of.isoformat()}): {scores}"
