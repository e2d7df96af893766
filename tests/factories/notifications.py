import factory

from notifications.models import Channel, Notification, NotificationKind, NotificationPreference
from tests.factories.core import OrganizationFactory, UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread recognition in the app."""

    class Meta:
        model = Notification

    organization = factory.SubFactory(OrganizationFactory)
    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.RECOGNITION
    title = factory.Sequence(lambda n: f"You were recognized ({n})")
    event_id = factory.Faker("uuid4")


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    kind = NotificationKind.RECOGNITION
    channel = Channel.EMAIL
