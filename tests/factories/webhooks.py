import factory

from tests.factories.core import OrganizationFactory
from webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An endpoint at a public address, for alerts opened (rows only: registering checks the address)."""

    class Meta:
        model = WebhookEndpoint

    organization = factory.SubFactory(OrganizationFactory)
    url = factory.Sequence(lambda n: f"https://hooks.example.com/execgap/{n}")
    kinds = factory.LazyFunction(lambda: ["alert.opened"])
    secret = factory.Sequence(lambda n: f"whsec_test_{n}")


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    organization = factory.SubFactory(OrganizationFactory)
    endpoint = factory.SubFactory(
        WebhookEndpointFactory, organization=factory.SelfAttribute("..organization")
    )
    event_id = factory.Faker("uuid4")
    kind = "alert.opened"
    payload = factory.LazyFunction(lambda: {"kind": "alert.opened"})
