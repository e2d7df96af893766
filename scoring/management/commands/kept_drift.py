"""`python manage.py kept_drift [--org SLUG] [--as-of YYYY-MM-DD] [--rebuild]`: check the staffing drift
kept between recomputes (`scoring.drift_kept`) against a count from scratch at D (by default the D
each organization's counts were last kept for); with `--rebuild`, count it whole again.
"""

from __future__ import annotations

from datetime import date

from scoring.drift_kept import drift_kept_as_of, drift_kept_differences, drift_kept_rebuild
from scoring.engine.inputs import InitiativeDrift, Parameters
from scoring.management.kept_command import KeptCommand


def _shown(drift: InitiativeDrift | None) -> str:
    if drift is None:
        return "no drift"
    return (
        f"{drift.unallocated_people} unallocated ({drift.unplanned_effort} h), {drift.idle_people} idle"
        f" ({drift.idle_allocations} allocations, {drift.idle_hours} h/week)"
    )


class Command(KeptCommand):
    help = "Check (and with --rebuild count again) the staffing drift kept between recomputes."
    what = "staffing drift"

    def kept_as_of(self, organization_id: int) -> date | None:
        return drift_kept_as_of(organization_id=organization_id)

    def differences(self, organization_id: int, parameters: Parameters) -> list[str] | None:
        differences = drift_kept_differences(organization_id=organization_id, parameters=parameters)
        if differences is None:
            return None
        return [
            f"initiative {initiative_id}: kept {_shown(kept)}; counted {_shown(counted)}"
            for initiative_id, (kept, counted) in differences.items()
        ]

    def rebuild(self, organization_id: int, parameters: Parameters) -> None:
        drift_kept_rebuild(organization_id=organization_id, parameters=parameters)
