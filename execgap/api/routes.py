"""The routes under /api/v1/, gathered from each app's api/urls.py (one line per app)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
