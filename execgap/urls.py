from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from django_ratelimit.decorators import ratelimit

from execgap import views
from execgap.web.scores import scores_status

# The pages of one organization: /o/<org_slug>/... (see `execgap.web.pages.org_page`).
organization_pages: list[URLPattern | URLResolver] = [
    path("", include("scoring.web.urls")),
    path("", include("objectives.web.plan.urls")),
    path("", include("resources.web.teams.urls")),
    path("", include("feedback.web.urls")),
    path("", include("scenarios.web.urls")),
    path("", include("alerts.web.urls")),
    path("", include("notifications.web.urls")),
    path("", include("webhooks.web.urls")),
    path("settings/", include("accounts.settings.urls")),
    path("settings/", include("accounts.onboarding.org_urls")),
    path("scores/status/", scores_status, name="scores_status"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.org_switch, name="org_switch"),
    path("o/<slug:org_slug>/", include(organization_pages)),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("accounts/", include("accounts.onboarding.urls")),
    path("accounts/", include("accounts.tokens.urls")),
    path("email/", include("notifications.web.email_urls")),  # an email's links that need no sign-in
    path(
        "accounts/password_reset/",
        ratelimit(key="ip", rate=views.password_reset_rate, method="POST", block=True)(
            auth_views.PasswordResetView.as_view()
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),  # password change and the rest of the reset
    path("admin/", admin.site.urls),
    path("", include("execgap.api.urls")),
]

# Under /api/, unrouted URLs and requests Django refuses to read answer in JSON like every API error
# (Django's pages elsewhere).
handler400 = "execgap.api.exceptions.bad_request"
handler403 = "execgap.web.forbidden.permission_denied"
handler404 = "execgap.api.exceptions.not_found"
handler500 = "execgap.outage.server_error"
