from django.urls import path

from execgap.web.export import csv_view
from scoring.web.teams import exports, views

urlpatterns = [
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_workspace, name="team_workspace"),
    path("teams/<int:pk>/link/", views.tasks_bulk_link, name="tasks_bulk_link"),
    # The tables of those pages as CSV (`execgap.web.export`), filtered as the page is.
    path("teams.csv", csv_view(exports.TEAMS), name="teams_csv"),
    path("teams/<int:pk>/tasks.csv", csv_view(exports.TEAM_TASKS), name="team_tasks_csv"),
    path("teams/<int:pk>/initiatives.csv", csv_view(exports.TEAM_STAFFING), name="team_initiatives_csv"),
    path(
        "teams/<int:pk>/check-ins-due.csv",
        csv_view(exports.TEAM_CHECK_INS_DUE),
        name="team_check_ins_due_csv",
    ),
]
