from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("invitations/new/", not_built, name="invitation_create"),
]
