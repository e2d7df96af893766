"""factory_boy factories for every model. Rows are built straight into the database (fast setup);
tests of the write path call the services instead."""

from tests.factories.accounts import InvitationFactory
from tests.factories.alerts import AlertFactory, AlertRuleFactory
from tests.factories.core import MembershipFactory, OrganizationFactory, UserFactory
from tests.factories.feedback import CheckInFactory, FeedbackItemFactory, RecognitionFactory
from tests.factories.imports import TaskImportMappingFactory
from tests.factories.notifications import NotificationFactory, NotificationPreferenceFactory
from tests.factories.objectives import InitiativeFactory, KeyResultFactory, ObjectiveFactory, TaskFactory
from tests.factories.resources import AllocationFactory, PersonFactory, TeamFactory
from tests.factories.scenarios import ScenarioChangeFactory, ScenarioFactory
from tests.factories.webhooks import WebhookDeliveryFactory, WebhookEndpointFactory

__all__ = [
    "AlertFactory",
    "AlertRuleFactory",
    "AllocationFactory",
    "CheckInFactory",
    "FeedbackItemFactory",
    "InitiativeFactory",
    "InvitationFactory",
    "KeyResultFactory",
    "MembershipFactory",
    "NotificationFactory",
    "NotificationPreferenceFactory",
    "ObjectiveFactory",
    "OrganizationFactory",
    "PersonFactory",
    "RecognitionFactory",
    "ScenarioChangeFactory",
    "ScenarioFactory",
    "TaskFactory",
    "TaskImportMappingFactory",
    "TeamFactory",
    "UserFactory",
    "WebhookDeliveryFactory",
    "WebhookEndpointFactory",
]
