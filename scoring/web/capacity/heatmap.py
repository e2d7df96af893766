"""The people × initiatives load of one page of people, as a heatmap: a row per person (in the order
they are ranked), a column per initiative they carry, the largest first, and the rest folded into
one column so that the grid stays readable whatever the people do."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from execgap.web.charts import heatmap
from objectives.models import Initiative
from scoring.web.capacity.loads import PersonLoadRow
from scoring.web.dashboards.words import hours, plural

HEATMAP_COLUMNS = 8  # initiatives drawn one by one; the others share the last column


@dataclass(frozen=True)
class HeatColumn:
    label: str  # what the chart writes above the column: "1" to "8", "+" for the others
    initiative: Initiative | None  # None: every other initiative of the page's people
    hours: float  # hours per week of the page's people on it
    initiatives: int = 1  # how many initiatives the column holds


@dataclass(frozen=True)
class Heatmap:
    columns: list[HeatColumn]
    rows: list[PersonLoadRow]
    cells: list[list[float]]  # hours per week of each row's person on each column's initiatives

    @property
    def chart(self) -> SafeString:
        over = sum(row.over_capacity for row in self.rows)
        label = (
            f"Load of {plural(len(self.rows), 'person', 'people')} on "
            f"{plural(sum(column.initiatives for column in self.columns), 'initiative')}"
            f" ({over} over capacity): each cell is a person's hours a week on an initiative, darker"
            " the larger its share of their week. The numbers are in the table below."
        )
        return heatmap(
            rows=[row.person.name for row in self.rows],
            columns=[column.label for column in self.columns],
            titles=[
                column.initiative.title if column.initiative else plural(column.initiatives, "other")
                for column in self.columns
            ],
            values=self.cells,
            scales=[row.capacity for row in self.rows],
            totals=[f"{hours(row.load)}/{hours(row.capacity)} h" for row in self.rows],
            alerts=[row.over_capacity for row in self.rows],
            label=label,
        )

    @property
    def shades(self) -> list[tuple[int, str]]:
        """The legend of the cells' shades: (level, words)."""
        words = ["up to an eighth", "up to a quarter", "up to half", "more than half"]
        return [(level, f"{said} of the person's week") for level, said in enumerate(words, start=1)]


def heatmap_of(rows: list[PersonLoadRow], *, columns: int = HEATMAP_COLUMNS) -> Heatmap:
    """The grid of a page of people: the initiatives their counted allocations go to, by their hours
    on the page (then by title), the first `columns` one by one."""
    totals: dict[int, float] = {}
    initiatives: dict[int, Initiative] = {}
    for row in rows:
        for allocation in row.allocations:
            initiatives[allocation.initiative_id] = allocation.initiative
            totals[allocation.initiative_id] = totals.get(allocation.initiative_id, 0.0) + float(
                allocation.hours_per_week
            )
    ranked = sorted(totals, key=lambda pk: (-totals[pk], initiatives[pk].title.casefold(), pk))
    shown, folded = ranked[:columns], ranked[columns:]
    heat_columns = [
        HeatColumn(label=str(index), initiative=initiatives[pk], hours=totals[pk])
        for index, pk in enumerate(shown, start=1)
    ]
    if folded:
        heat_columns.append(
            HeatColumn(
                label="+", initiative=None, hours=sum(totals[pk] for pk in folded), initiatives=len(folded)
            )
        )
    place = {pk: index for index, pk in enumerate(shown)}
    cells = []
    for row in rows:
        line = [0.0] * len(heat_columns)
        for allocation in row.allocations:
            line[place.get(allocation.initiative_id, len(shown))] += float(allocation.hours_per_week)
        cells.append(line)
    return Heatmap(columns=heat_columns, rows=rows, cells=cells)
