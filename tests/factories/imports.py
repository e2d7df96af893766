import factory

from objectives.models import TaskImportMapping
from tests.factories.core import OrganizationFactory
from tests.factories.resources import TeamFactory


class TaskImportMappingFactory(factory.django.DjangoModelFactory):
    """A team's remembered import mapping: one status name and no parent."""

    class Meta:
        model = TaskImportMapping

    organization = factory.SubFactory(OrganizationFactory)
    team = factory.SubFactory(TeamFactory, organization=factory.SelfAttribute("..organization"))
    status_map = factory.LazyFunction(lambda: {"QA": "in_progress"})
