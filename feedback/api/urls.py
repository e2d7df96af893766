from rest_framework.routers import SimpleRouter

from feedback.api.views import CheckInViewSet, FeedbackViewSet, RecognitionViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/check-ins", CheckInViewSet, basename="check-in")
router.register(r"orgs/(?P<org>[-\w]+)/feedback", FeedbackViewSet, basename="feedback")
router.register(r"orgs/(?P<org>[-\w]+)/recognitions", RecognitionViewSet, basename="recognition")

urlpatterns = router.urls
