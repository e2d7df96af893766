from decimal import Decimal

import factory

from objectives.models import Initiative, InitiativeStatus, KeyResult, Objective, ObjectiveStatus, Task
from tests.factories.core import OrganizationFactory


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    status = ObjectiveStatus.ACTIVE


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResult

    organization = factory.SubFactory(OrganizationFactory)
    objective = factory.SubFactory(ObjectiveFactory, organization=factory.SelfAttribute("..organization"))
    title = factory.Sequence(lambda n: f"Key result {n}")
    target_value = Decimal(100)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    status = InitiativeStatus.ACTIVE


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
