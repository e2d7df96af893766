"""/api/v1/: every app's endpoints, the OpenAPI schema and the browsable docs (no internet needed)."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

# Swagger UI's start-up script is served as a file of its own (the Content-Security-Policy allows no
# inline script); ReDoc's is inline, so its page alone allows that (and the web worker it starts).
redoc = csp_update({"script-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
    SpectacularRedocView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", redoc, name="api-redoc"),
    path("api/v1/", include("execgap.api.routes")),
]
