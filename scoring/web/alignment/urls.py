from django.urls import path

from scoring.web.alignment import goal_search, views

urlpatterns = [
    path("alignment/", views.alignment, name="alignment"),
    path("tasks/<int:pk>/link/", views.task_link, name="task_link"),
    path("alignment/goals/search/", goal_search.alignment_goal_search, name="alignment_goal_search"),
]
