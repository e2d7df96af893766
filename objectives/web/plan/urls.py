from django.urls import path

from execgap.web.export import csv_view
from objectives.web import goal_search
from objectives.web.plan import exports, views

urlpatterns = [
    path("objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/delete/", views.objective_delete, name="objective_delete"),
    path("objectives/<int:objective_pk>/key-results/new/", views.key_result_create, name="key_result_create"),
    path("key-results/<int:pk>/edit/", views.key_result_edit, name="key_result_edit"),
    path("key-results/<int:pk>/delete/", views.key_result_delete, name="key_result_delete"),
    path("initiatives/new/", views.initiative_create, name="initiative_create"),
    path("initiatives/<int:pk>/edit/", views.initiative_edit, name="initiative_edit"),
    path("initiatives/<int:pk>/delete/", views.initiative_delete, name="initiative_delete"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("history/", views.plan_history, name="plan_history"),
    path("history.csv", csv_view(exports.HISTORY), name="plan_history_csv"),
    path("goals/search/", goal_search.goal_search, name="goal_search"),
]
