from django.urls import path

from accounts.onboarding import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
