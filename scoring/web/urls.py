"""The pages that read the scores: health, the strategy map and the goal pages, alignment, resources,
and the teams."""

from django.urls import include, path

urlpatterns = [
    path("", include("scoring.web.dashboards.urls")),
    path("", include("scoring.web.alignment.urls")),
    path("", include("scoring.web.capacity.urls")),
    path("", include("scoring.web.teams.urls")),
]
