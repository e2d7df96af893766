from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("objectives/new/", not_built, name="objective_create"),
    path("objectives/<int:pk>/edit/", not_built, name="objective_edit"),
    path("objectives/<int:pk>/delete/", not_built, name="objective_delete"),
    path("objectives/<int:objective_pk>/key-results/new/", not_built, name="key_result_create"),
    path("key-results/<int:pk>/edit/", not_built, name="key_result_edit"),
    path("key-results/<int:pk>/delete/", not_built, name="key_result_delete"),
    path("initiatives/new/", not_built, name="initiative_create"),
    path("initiatives/<int:pk>/edit/", not_built, name="initiative_edit"),
    path("initiatives/<int:pk>/delete/", not_built, name="initiative_delete"),
    path("tasks/new/", not_built, name="task_create"),
    path("tasks/<int:pk>/edit/", not_built, name="task_edit"),
    path("tasks/<int:pk>/delete/", not_built, name="task_delete"),
    path("history/", not_built, name="plan_history"),
]
