import factory

from scenarios.models import ChangeKind, Scenario, ScenarioChange
from tests.factories.core import OrganizationFactory


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Scenario {n}")


class ScenarioChangeFactory(factory.django.DjangoModelFactory):
    """A change to nothing in particular (an objective's priority weight, by id): a row to find or not."""

    class Meta:
        model = ScenarioChange

    organization = factory.SubFactory(OrganizationFactory)
    scenario = factory.SubFactory(ScenarioFactory, organization=factory.SelfAttribute("..organization"))
    position = factory.Sequence(lambda n: n + 1)
    kind = ChangeKind.OBJECTIVE_CHANGE
    values = factory.LazyFunction(lambda: {"priority_weight": "2"})
