from rest_framework.routers import SimpleRouter

from scenarios.api.views import ScenarioChangeViewSet, ScenarioViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/scenarios", ScenarioViewSet, basename="scenario")
# A change is listed and added at scenarios/{id}/changes/; it is removed by its own id.
router.register(r"orgs/(?P<org>[-\w]+)/scenario-changes", ScenarioChangeViewSet, basename="scenario-change")

urlpatterns = router.urls
