from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("alignment/", not_built, name="alignment"),
    path("tasks/<int:pk>/link/", not_built, name="task_link"),
]
