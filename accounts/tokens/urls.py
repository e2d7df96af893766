from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("tokens/", not_built, name="token_list"),
]
