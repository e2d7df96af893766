"""The routes under /api/v1/, gathered from each app's api/urls.py (one line per app)."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns.append(path("", include("resources.api.urls")))
urlpatterns.append(path("", include("feedback.api.urls")))
urlpatterns.append(path("", include("objectives.api.urls")))
urlpatterns.append(path("", include("scoring.api.urls")))
urlpatterns.append(path("", include("scenarios.api.urls")))
urlpatterns.append(path("", include("execgap.api.job_urls")))
urlpatterns.append(path("", include("execgap.api.account_urls")))
urlpatterns.append(path("", include("objectives.api.import_urls")))
urlpatterns.append(path("", include("alerts.api.urls")))
urlpatterns.append(path("", include("notifications.api.urls")))
urlpatterns.append(path("", include("webhooks.api.urls")))
