from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from execgap import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("execgap.api.urls")),
]

# Under /api/, unrouted URLs and requests Django refuses to read answer in JSON like every API error
# (Django's pages elsewhere).
handler400 = "execgap.api.exceptions.bad_request"
handler404 = "execgap.api.exceptions.not_found"
