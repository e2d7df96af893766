from django.urls import path

from execgap.web.export import csv_view
from scoring.web.dashboards import exports, views

urlpatterns = [
    path("", views.health, name="health"),
    path("strategy/", views.strategy_map, name="strategy_map"),
    path("strategy/level/", views.strategy_map_level, name="strategy_map_level"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    # Each table of those pages as CSV (`execgap.web.export`), filtered as the page is.
    path("scores.csv", csv_view(exports.SCORES), name="health_scores_csv"),
    path("objectives/<int:pk>/tasks.csv", csv_view(exports.OBJECTIVE_TASKS), name="objective_tasks_csv"),
    path(
        "objectives/<int:pk>/check-ins.csv",
        csv_view(exports.OBJECTIVE_CHECK_INS),
        name="objective_check_ins_csv",
    ),
    path(
        "objectives/<int:pk>/key-results.csv", csv_view(exports.KEY_RESULTS), name="objective_key_results_csv"
    ),
    path("objectives/<int:pk>/objectives.csv", csv_view(exports.CHILDREN), name="objective_children_csv"),
    path(
        "objectives/<int:pk>/initiatives.csv", csv_view(exports.INITIATIVES), name="objective_initiatives_csv"
    ),
    path("initiatives/<int:pk>/tasks.csv", csv_view(exports.INITIATIVE_TASKS), name="initiative_tasks_csv"),
    path(
        "initiatives/<int:pk>/check-ins.csv",
        csv_view(exports.INITIATIVE_CHECK_INS),
        name="initiative_check_ins_csv",
    ),
    path("initiatives/<int:pk>/people.csv", csv_view(exports.ALLOCATIONS), name="initiative_people_csv"),
]
