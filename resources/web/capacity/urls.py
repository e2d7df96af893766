from django.urls import path

from resources.web.capacity import views

urlpatterns = [
    path("resources/", views.resources, name="resources"),
]
