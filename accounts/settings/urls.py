from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("", not_built, name="settings"),
]
