from django.urls import path

from scoring.web.teams import views

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_workspace, name="team_workspace"),
    path("teams/<int:pk>/link/", views.tasks_bulk_link, name="tasks_bulk_link"),
]
