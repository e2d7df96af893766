import factory
from django.utils import timezone

from alerts.models import Alert, AlertRule, RuleKind, ScoreChoice, SubjectKind
from tests.factories.core import OrganizationFactory


class AlertRuleFactory(factory.django.DjangoModelFactory):
    """Execution health below 50, for the whole organization."""

    class Meta:
        model = AlertRule

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Health below 50 ({n})")
    kind = RuleKind.SCORE_BELOW
    score = ScoreChoice.EXECUTION_HEALTH
    threshold = 50.0


class AlertFactory(factory.django.DjangoModelFactory):
    """An open alert of its rule on the organization's execution health."""

    class Meta:
        model = Alert

    organization = factory.SubFactory(OrganizationFactory)
    rule = factory.SubFactory(AlertRuleFactory, organization=factory.SelfAttribute("..organization"))
    rule_kind = factory.SelfAttribute("rule.kind")
    rule_name = factory.SelfAttribute("rule.name")
    subject_kind = SubjectKind.ORGANIZATION
    subject_id = factory.SelfAttribute("organization.pk")
    subject_title = factory.SelfAttribute("organization.name")
    opened_at = factory.LazyFunction(timezone.now)
    opened_snapshot_id = 1
    value_at_open = 42.0
    threshold = 50.0
    message = "Execution health is 42.0, below 50"
