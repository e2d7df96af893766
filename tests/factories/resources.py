from decimal import Decimal

import factory

from resources.models import Allocation, Person, Team
from tests.factories.core import OrganizationFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    weekly_capacity_hours = Decimal(40)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    organization = factory.SubFactory(OrganizationFactory)
    person = factory.SubFactory(PersonFactory, organization=factory.SelfAttribute("..organization"))
    initiative = factory.SubFactory(
        "tests.factories.objectives.InitiativeFactory", organization=factory.SelfAttribute("..organization")
    )
    hours_per_week = Decimal(10)
