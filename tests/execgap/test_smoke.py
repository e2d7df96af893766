import pytest

from execgap.models import Role
from objectives.services import objective_create

pytestmark = pytest.mark.django_db


def test_an_executive_creates_an_objective_and_the_scores_go_stale(executive, org):
    # given an organization whose scores are current
    assert org.scores_stale_since is None
    # when an executive creates an objective
    objective = objective_create(
        actor=executive, data={"title": "Grow", "status": "active"}, reason="kickoff"
    )
    # then it is stored with a revision record and the scores are marked stale
    assert objective.history.get().history_change_reason == "kickoff"
    org.refresh_from_db()
    assert org.scores_stale_since is not None
    assert executive.role == Role.EXECUTIVE
