from django.urls import path

from resources.web.teams import allocations, imports, views

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_workspace, name="team_workspace"),
    path("teams/<int:pk>/link/", views.tasks_bulk_link, name="tasks_bulk_link"),
    path("teams/<int:pk>/import/", imports.task_import, name="task_import"),
    path("teams/<int:pk>/import/<int:job_pk>/", imports.task_import_job, name="task_import_job"),
    path("allocations/new/", allocations.allocation_create, name="allocation_create"),
    path("allocations/<int:pk>/edit/", allocations.allocation_edit, name="allocation_edit"),
    path("allocations/<int:pk>/delete/", allocations.allocation_delete, name="allocation_delete"),
]
