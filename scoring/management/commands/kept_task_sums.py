"""`python manage.py kept_task_sums [--org SLUG] [--as-of YYYY-MM-DD] [--rebuild]`: check the task sums
kept between recomputes (`scoring.task_sums_kept`: per link and effective team, open, done and done in
the activity window) against a count from the tallies at D (by default the D each organization's were
last kept for); with `--rebuild`, count them again.
"""

from __future__ import annotations

from datetime import date

from scoring.engine.inputs import Parameters
from scoring.management.kept_command import KeptCommand
from scoring.task_sums_kept import task_sums_kept_as_of, task_sums_kept_differences, task_sums_kept_rebuild


class Command(KeptCommand):
    help = "Check (and with --rebuild count again) the task sums kept between recomputes."
    what = "task sums"

    def kept_as_of(self, organization_id: int) -> date | None:
        return task_sums_kept_as_of(organization_id=organization_id)

    def differences(self, organization_id: int, parameters: Parameters) -> list[str] | None:
        return task_sums_kept_differences(organization_id=organization_id, parameters=parameters)

    def rebuild(self, organization_id: int, parameters: Parameters) -> None:
        task_sums_kept_rebuild(organization_id=organization_id, parameters=parameters)
