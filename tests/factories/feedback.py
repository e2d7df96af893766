import factory

from feedback.models import CheckIn, FeedbackItem, FeedbackKind, Recognition
from tests.factories.core import OrganizationFactory
from tests.factories.resources import PersonFactory


class CheckInFactory(factory.django.DjangoModelFactory):
    """Give exactly one of objective, initiative or key_result."""

    class Meta:
        model = CheckIn

    organization = factory.SubFactory(OrganizationFactory)
    confidence = 7


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackItem

    organization = factory.SubFactory(OrganizationFactory)
    kind = FeedbackKind.BLOCKER
    text = factory.Sequence(lambda n: f"Feedback {n}")


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recognition

    organization = factory.SubFactory(OrganizationFactory)
    from_person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    to_person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    message = "Thank you"
