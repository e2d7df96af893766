from django.urls import path

from scoring.web.capacity import views

urlpatterns = [
    path("resources/", views.resources, name="resources"),
]
