from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("me/", not_built, name="my_work"),
    path("check-ins/new/", not_built, name="check_in_create"),
    path("feedback/", not_built, name="feedback_list"),
    path("feedback/new/", not_built, name="feedback_create"),
    path("feedback/<int:pk>/", not_built, name="feedback_detail"),
    path("recognitions/new/", not_built, name="recognition_create"),
]
