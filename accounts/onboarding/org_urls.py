from django.urls import path

from accounts.onboarding import exports, views
from execgap.web.export import csv_view

urlpatterns = [
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations.csv", csv_view(exports.INVITATIONS), name="invitations_csv"),
]
