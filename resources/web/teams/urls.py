from django.urls import path

from resources.web import search
from resources.web.teams import allocations, imports

urlpatterns = [
    path("teams/<int:pk>/import/", imports.task_import, name="task_import"),
    path("teams/<int:pk>/import/<int:job_pk>/", imports.task_import_job, name="task_import_job"),
    path("allocations/new/", allocations.allocation_create, name="allocation_create"),
    path("allocations/<int:pk>/edit/", allocations.allocation_edit, name="allocation_edit"),
    path("allocations/<int:pk>/delete/", allocations.allocation_delete, name="allocation_delete"),
    path("people/search/", search.people_search, name="people_search"),
    path("members/search/", search.member_search, name="member_search"),
    path("teams/search/", search.team_search, name="team_search"),
]
