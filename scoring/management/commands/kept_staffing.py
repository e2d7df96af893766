"""`python manage.py kept_staffing [--org SLUG] [--as-of YYYY-MM-DD] [--rebuild]`: check the staffing
kept between recomputes (`scoring.staffing_kept`: loads, f_p and supplies) against a count from scratch
at D (by default the D each organization's was last kept for); with `--rebuild`, count it again.
"""

from __future__ import annotations

from datetime import date

from scoring.engine.inputs import Parameters
from scoring.management.kept_command import KeptCommand
from scoring.staffing_kept import staffing_kept_as_of, staffing_kept_differences, staffing_kept_rebuild


class Command(KeptCommand):
    help = "Check (and with --rebuild count again) the staffing kept between recomputes."
    what = "staffing"

    def kept_as_of(self, organization_id: int) -> date | None:
        return staffing_kept_as_of(organization_id=organization_id)

    def differences(self, organization_id: int, parameters: Parameters) -> list[str] | None:
        return staffing_kept_differences(organization_id=organization_id, parameters=parameters)

    def rebuild(self, organization_id: int, parameters: Parameters) -> None:
        staffing_kept_rebuild(organization_id=organization_id, parameters=parameters)
