from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("teams/", not_built, name="teams"),
    path("teams/<int:pk>/", not_built, name="team_workspace"),
    path("teams/<int:pk>/link/", not_built, name="tasks_bulk_link"),
    path("teams/<int:pk>/import/", not_built, name="task_import"),
    path("teams/<int:pk>/import/<int:job_pk>/", not_built, name="task_import_job"),
    path("allocations/new/", not_built, name="allocation_create"),
    path("allocations/<int:pk>/edit/", not_built, name="allocation_edit"),
    path("allocations/<int:pk>/delete/", not_built, name="allocation_delete"),
]
