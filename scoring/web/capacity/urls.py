from django.urls import path

from scoring.web.capacity import cut_line, views

urlpatterns = [
    path("resources/", views.resources, name="resources"),
    path("resources/cut-line/", cut_line.cut_line, name="capacity_cut_line"),
]
