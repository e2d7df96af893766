from django.urls import path

from execgap.web.export import csv_view
from scoring.web.alignment import exports, goal_search, views

urlpatterns = [
    path("alignment/", views.alignment, name="alignment"),
    path("tasks/<int:pk>/link/", views.task_link, name="task_link"),
    path("alignment/goals/search/", goal_search.alignment_goal_search, name="alignment_goal_search"),
    # The tables of the page as CSV (`execgap.web.export`), filtered as the page is.
    path("alignment/teams.csv", csv_view(exports.TEAMS), name="alignment_teams_csv"),
    path("alignment/work.csv", csv_view(exports.WORK), name="alignment_work_csv"),
]
