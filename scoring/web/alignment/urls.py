from django.urls import path

from scoring.web.alignment import views

urlpatterns = [
    path("alignment/", views.alignment, name="alignment"),
    path("tasks/<int:pk>/link/", views.task_link, name="task_link"),
]
