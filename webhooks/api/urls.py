from rest_framework.routers import SimpleRouter

from webhooks.api.views import WebhookDeliveryViewSet, WebhookEndpointViewSet

router = SimpleRouter()
router.register(r"orgs/(?P<org>[-\w]+)/webhooks", WebhookEndpointViewSet, basename="webhook")
# Deliveries are listed at webhooks/{id}/deliveries/; each is read and redelivered by its own id.
router.register(
    r"orgs/(?P<org>[-\w]+)/webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery"
)

urlpatterns = router.urls
