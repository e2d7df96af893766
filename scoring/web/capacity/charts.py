"""The resources page's chart of a page of initiatives: the hours each of the least covered needs in
its window against the hours staffed there, as paired bars (rows of the table beside it, so no query
of its own)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.safestring import SafeString

from execgap.web.charts import BarPair, paired_bars
from scoring.web.capacity.selectors import InitiativeCoverageRow

CHART_ROWS = 10  # the least covered of the page; the table beside the chart lists the whole page


def coverage_chart(rows: Sequence[InitiativeCoverageRow], *, org_slug: str) -> SafeString | None:
    """Needed against staffed hours of the first CHART_ROWS rows' initiatives, least covered first as
    the rows come."""
    if not rows:
        return None
    more = len(rows) - CHART_ROWS
    return paired_bars(
        key="initiative-coverage-chart",
        title="Hours the least covered initiatives need in their windows, against the hours staffed there",
        rows=[
            BarPair(
                label=_label(row),
                url=reverse("initiative_detail", kwargs={"org_slug": org_slug, "pk": row.score.initiative_id})
                if row.score.initiative_id
                else "",
                first=row.score.demand,
                second=row.score.supply,
            )
            for row in rows[:CHART_ROWS]
        ],
        names=("Needed", "Staffed"),
        unit=" h",
        scale=1.0,
        note=f"{more} more in the table below." if more > 0 else "",
    )


def _label(row: InitiativeCoverageRow) -> str:
    percent = row.coverage_percent
    return row.score.title if percent is None else f"{row.score.title} ({percent:.0f}% covered)"
