"""Whether a score's trend spans a change of the scoring settings, which moves every score without
any change in the work (SCORING.md "Inputs and parameters"): the trend's words then say so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from execgap.models import Organization
from feedback.selectors import SCORING_SETTINGS, settings_change_between
from scoring.models import ScoreSnapshot
from scoring.selectors import snapshot_history
from scoring.web.dashboards.selectors.gaps import Link


def settings_change_link(
    organization: Organization,
    snapshot: ScoreSnapshot,
    trend: list[tuple[date, float | None]],
    url: Callable[..., str],
) -> Link | None:
    """The change of the scoring settings between the first snapshot of `trend` and `snapshot` (the
    two a trend's words compare), as a link to it in the plan history; None when both were computed
    with the same settings. One query, three when they differ."""
    first_day = next((day for day, value in trend if value is not None), snapshot.as_of)
    if first_day == snapshot.as_of:
        return None
    first = (
        snapshot_history(organization=organization, date_from=first_day, date_to=first_day)
        .values("computed_at", *SCORING_SETTINGS)
        .first()
    )
    if first is None or all(first[name] == getattr(snapshot, name) for name in SCORING_SETTINGS):
        return None
    history = url("plan_history")
    revision = settings_change_between(
        organization=organization, after=first["computed_at"], until=snapshot.computed_at
    )
    if revision is None:  # changed before the settings' history was kept
        return Link(f"the scoring settings changed since {first_day:%-d %b}", f"{history}?kind=settings")
    day = timezone.localtime(revision.at).date()
    where = (
        f"change_set={revision.change_set}"
        if revision.change_set
        else f"kind=settings&since={day}&until={day}"
    )
    return Link(f"the scoring settings changed on {day:%-d %b}", f"{history}?{where}")
