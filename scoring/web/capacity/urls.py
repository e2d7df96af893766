from django.urls import path

from execgap.web.export import csv_view
from scoring.web.capacity import cut_line, exports, views

urlpatterns = [
    path("resources/", views.resources, name="resources"),
    path("resources/cut-line/", cut_line.cut_line, name="capacity_cut_line"),
    # The tables of those pages as CSV (`execgap.web.export`), filtered as the page is.
    path(
        "resources/objectives.csv", csv_view(exports.COVERAGE_BY_OBJECTIVE), name="resources_objectives_csv"
    ),
    path(
        "resources/initiatives.csv",
        csv_view(exports.COVERAGE_BY_INITIATIVE),
        name="resources_initiatives_csv",
    ),
    path("resources/cut-line.csv", csv_view(exports.CUT_LINE), name="capacity_cut_line_csv"),
    path("resources/drift.csv", csv_view(exports.STAFFING_DRIFT), name="resources_drift_csv"),
    path("resources/people.csv", csv_view(exports.PEOPLE_LOAD), name="resources_people_csv"),
    path("resources/off-strategy.csv", csv_view(exports.OFF_STRATEGY), name="resources_off_strategy_csv"),
]
