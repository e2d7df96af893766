"""/api/v1/orgs/{org}/jobs/ and jobs/{id}/."""

from rest_framework.routers import SimpleRouter

from execgap.api.jobs import JobViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/jobs", JobViewSet, basename="job")

urlpatterns = router.urls
