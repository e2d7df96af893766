from django.urls import path

from execgap.web.placeholder import not_built

urlpatterns = [
    path("signup/", not_built, name="signup"),
    path("organizations/new/", not_built, name="organization_create"),
    path("invitations/<str:token>/", not_built, name="invitation_accept"),
]
