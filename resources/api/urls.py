from rest_framework.routers import SimpleRouter

from resources.api.views import AllocationViewSet, PersonViewSet, TeamViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/teams", TeamViewSet, basename="team")
router.register(r"orgs/(?P<org>[-\w]+)/people", PersonViewSet, basename="person")
router.register(r"orgs/(?P<org>[-\w]+)/allocations", AllocationViewSet, basename="allocation")

urlpatterns = router.urls
