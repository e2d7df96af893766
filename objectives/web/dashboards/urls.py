from django.urls import path

from objectives.web.dashboards import views

urlpatterns = [
    path("", views.health, name="health"),
]
