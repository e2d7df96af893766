"""Each rule kind names the parameters it needs; a missing or meaningless one is an error on its field."""

import pytest
from django.core.exceptions import ValidationError

from alerts.models import AlertRule
from tests.factories import TeamFactory


def errors_of(rule: AlertRule) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        rule.full_clean()
    return raised.value.message_dict


@pytest.mark.django_db
def test_a_missing_parameter_is_an_error_beside_it(org):
    # given a score-below rule without its threshold
    rule = AlertRule(organization=org, name="Health", kind="score_below", score="execution_health")
    # then the threshold is reported, nothing else
    assert errors_of(rule) == {"threshold": ["This kind of rule needs a threshold."]}


@pytest.mark.django_db
def test_a_parameter_the_kind_does_not_use_is_an_error(org):
    # given a forecast-late rule with days, which it has no use for
    rule = AlertRule(organization=org, name="Late", kind="forecast_late", days=3)
    assert errors_of(rule) == {"days": ["This kind of rule has no days: leave it empty."]}


@pytest.mark.django_db
def test_out_of_range_numbers_are_refused(org):
    rule = AlertRule(organization=org, name="Drop", kind="score_drop", score="people", points=0, days=0)
    assert errors_of(rule) == {
        "points": ["Must be above 0 and at most 100."],
        "days": ["Must be between 1 and 3650 days."],
    }


@pytest.mark.django_db
def test_team_alignment_needs_a_team_and_an_organization_score_refuses_one(org):
    team = TeamFactory(organization=org)
    no_team = AlertRule(organization=org, name="A", kind="score_below", score="team_alignment", threshold=50)
    assert errors_of(no_team) == {"team": ["A team's alignment needs the team."]}
    org_score = AlertRule(
        organization=org, name="B", kind="score_below", score="resources", threshold=50, team=team
    )
    assert list(errors_of(org_score)) == ["team"]
    drop = AlertRule(
        organization=org, name="C", kind="score_drop", score="team_alignment", points=5, days=7, team=team
    )
    assert list(errors_of(drop)) == ["score"]
