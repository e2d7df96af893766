from django.urls import path

from execgap.web.export import csv_view
from scenarios.web import editor, exports, search, views

urlpatterns = [
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios.csv", csv_view(exports.SCENARIOS), name="scenarios_csv"),
    path("scenarios/new/", views.scenario_new, name="scenarios_new"),
    path("scenarios/rebalance/", views.scenario_rebalance, name="scenarios_rebalance"),
    path("scenarios/compare/", views.scenario_compare, name="scenarios_compare"),
    path("scenarios/allocations/search/", search.allocation_search, name="scenarios_allocation_search"),
    path("scenarios/tasks/search/", search.task_search, name="scenarios_task_search"),
    path("scenarios/<int:pk>/", editor.scenario_detail, name="scenarios_detail"),
    path("scenarios/<int:pk>/changes/", editor.change_new, name="scenarios_change_new"),
    path(
        "scenarios/<int:pk>/changes/<int:change_pk>/remove/",
        editor.change_delete,
        name="scenarios_change_remove",
    ),
    path("scenarios/<int:pk>/evaluate/", editor.scenario_evaluate, name="scenarios_evaluate"),
    path("scenarios/<int:pk>/evaluation/", editor.scenario_evaluation, name="scenarios_evaluation"),
    path("scenarios/<int:pk>/evaluation.csv", csv_view(exports.EVALUATION), name="scenarios_evaluation_csv"),
    path("scenarios/<int:pk>/apply/", editor.scenario_apply_view, name="scenarios_apply"),
    path("scenarios/<int:pk>/rebase/", editor.scenario_rebase_view, name="scenarios_rebase"),
    path("scenarios/<int:pk>/discard/", editor.scenario_discard_view, name="scenarios_discard"),
]
