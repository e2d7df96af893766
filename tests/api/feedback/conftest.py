"""The fixtures of the teams, people and allocations API tests serve here too, plus an objective,
a key result and feedback for each team."""

import pytest

from tests.api.resources.support import *  # noqa: F403  (fixtures)
from tests.factories import FeedbackItemFactory, KeyResultFactory, ObjectiveFactory


@pytest.fixture
def growth_objective(org, growth):
    return ObjectiveFactory(organization=org, title="Grow self-serve", team=growth)


@pytest.fixture
def key_result(org, growth_objective):
    return KeyResultFactory(organization=org, objective=growth_objective, title="1,000 sign-ups")


@pytest.fixture
def growth_feedback(org, growth_initiative):
    """An open blocker about an initiative of Growth."""
    return FeedbackItemFactory(organization=org, initiative=growth_initiative, text="No test data")


@pytest.fixture
def platform_feedback(org, platform_initiative):
    """An open blocker about an initiative of Platform."""
    return FeedbackItemFactory(organization=org, initiative=platform_initiative, text="Builds are slow")
