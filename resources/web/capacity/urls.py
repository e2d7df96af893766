from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("resources/", not_built, name="resources"),
]
