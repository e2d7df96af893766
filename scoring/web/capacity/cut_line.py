"""The capacity cut line page: which active and proposed initiatives fit in the organization's capacity.

Drawn from the plan as it is now at today's UTC date (`scoring.cut_line`; the rules are in
`scoring.engine.cut_line`), not from a snapshot. The ranking is shown 25 at a time (numbered pages),
with the line drawn between the last initiative that fits and the first that does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render

from execgap.roles import Action, Resource
from execgap.web.charts import stacked_bar
from execgap.web.pages import OrgRequest, org_page
from execgap.web.paging import Params, numbered_page
from scoring.cut_line import cut_line_read
from scoring.engine.cut_line import CutLine, CutLineEntry

RANKS_PER_PAGE = 25


@dataclass(frozen=True)
class CutLineRow:
    """An initiative of the page, and whether the line is drawn just above it."""

    entry: CutLineEntry
    line_above: bool

    @property
    def priority_percent(self) -> float:
        return 100.0 * self.entry.priority


def line_page_number(line: CutLine, size: int = RANKS_PER_PAGE) -> int | None:
    """The page whose rows hold the first initiative below the line (None: they all fit)."""
    return None if line.first_below is None else line.line_index // size + 1


@org_page()
def cut_line(request: OrgRequest) -> HttpResponse:
    """The ranking a page at a time; a page link that is not one answers 400 with the nearest page."""
    line = cut_line_read(organization=request.org.organization)
    params = Params(request, prefix="ranks_")
    page = numbered_page(
        line.entries,
        params=params,
        label="Pages of the ranking",
        size=RANKS_PER_PAGE,
        target="cut-line-ranking",
    )
    first_below = line.first_below
    rows = [
        CutLineRow(entry, line_above=first_below is not None and entry.rank == first_below.rank)
        for entry in page.rows
    ]
    line_page = line_page_number(line)
    context = {
        "line": line,
        "rows": rows,
        "pager": page.pager,
        "line_page_url": (
            params.url(**{params.page_name: str(line_page) if line_page > 1 else None})
            if line_page is not None
            else ""
        ),
        "line_on_this_page": any(row.line_above for row in rows),
        "can_plan": request.org.can(Resource.INITIATIVE, Action.CREATE),
        "spare": max(0.0, line.capacity - line.total_demand),
        "below_demand": line.total_demand - line.demand_above,
        "bar": stacked_bar(
            [
                ("fits", line.demand_above, "fits"),
                ("does not fit", line.total_demand - line.demand_above, "unfit"),  # below the line
                ("capacity left over", max(0.0, line.capacity - line.total_demand), "spare"),
            ],
            "The hours needed, and the capacity left over",
        ),
    }
    return render(request, "capacity/cut_line.html", context, status=400 if page.error else 200)
