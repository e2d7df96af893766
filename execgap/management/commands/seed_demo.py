"""`manage.py seed_demo [--reset]`: create the demo organization once and print its logins."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from execgap.demo import DEMO_PASSWORD, DEMO_SLUG, DemoSeedResult, demo_seed
from feedback.models import CheckIn, FeedbackItem, Recognition
from objectives.models import Initiative, KeyResult, Objective, Task
from resources.models import Allocation, Person, Team
from scoring.models import ScoreSnapshot


class Command(BaseCommand):
    help = (
        f"Create the demo organization Northwind Robotics (slug '{DEMO_SLUG}') with one login per role "
        f"(admin, exec, lead, member, viewer; password '{DEMO_PASSWORD}'). "
        "Does nothing when it exists already; --reset deletes it and creates it again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo organization and create it again."
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="Where ExecGap is served (for the printed links)."
        )

    def handle(self, *args: Any, reset: bool, url: str, **options: Any) -> None:
        started = time.monotonic()
        result = demo_seed(reset=reset)
        organization = result.organization
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo organization {organization.name} ({organization.slug}) "
                    f"in {time.monotonic() - started:.1f} s: {self._counts(result)}."
                )
            )
        else:
            self.stdout.write(
                f"The demo organization {organization.name} ({organization.slug}) exists already: "
                "nothing changed (use --reset to create it again)."
            )
        self._print_logins(result, url=url.rstrip("/") + "/")

    def _counts(self, result: DemoSeedResult) -> str:
        org = result.organization
        roots = Objective.objects.for_org(org).filter(parent=None).count()
        objectives = Objective.objects.for_org(org).count()
        parts = [
            f"{roots} boardroom and {objectives - roots} team objectives",
            f"{KeyResult.objects.for_org(org).count()} key results",
            f"{Initiative.objects.for_org(org).count()} initiatives",
            f"{Person.objects.for_org(org).count()} people in {Team.objects.for_org(org).count()} teams",
            f"{Task.objects.for_org(org).count()} tasks",
            f"{Allocation.objects.for_org(org).count()} allocations",
            f"{CheckIn.objects.for_org(org).count()} check-ins",
            f"{FeedbackItem.objects.for_org(org).count()} feedback items",
            f"{Recognition.objects.for_org(org).count()} recognitions",
            f"{ScoreSnapshot.objects.for_org(org).count()} daily score snapshots",
        ]
        return ", ".join(parts)

    def _print_logins(self, result: DemoSeedResult, *, url: str) -> None:
        self.stdout.write(f"\nExecGap: {url}    Django admin: {url}admin/")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for login in result.logins:
            note = (
                "" if login.password_set or not result.created else "  (existing account: password unchanged)"
            )
            self.stdout.write(f"  {login.username:<8} {login.role.label:<10} {login.person}{note}")
