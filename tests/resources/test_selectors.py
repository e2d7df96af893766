import pytest

from resources.selectors import team_subtree_ids, team_tree
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(org, other_org):
    """Engineering > (Platform > SRE, Apps); Design; and a team of another organization."""
    engineering = TeamFactory(organization=org, name="Engineering")
    platform = TeamFactory(organization=org, name="Platform", parent=engineering)
    sre = TeamFactory(organization=org, name="SRE", parent=platform)
    apps = TeamFactory(organization=org, name="Apps", parent=engineering)
    design = TeamFactory(organization=org, name="Design")
    TeamFactory(organization=other_org, name="Elsewhere")
    return {team.name: team for team in (engineering, platform, sre, apps, design)}


def test_the_team_tree_lists_parents_before_children_with_depths(org, teams, django_assert_num_queries):
    # when the organization's team tree is read
    with django_assert_num_queries(1):
        tree = team_tree(organization=org)
    # then each team follows its parent, siblings by name, with its depth, and nothing of elsewhere
    assert [(node.team.name, node.depth) for node in tree] == [
        ("Design", 0),
        ("Engineering", 0),
        ("Apps", 1),
        ("Platform", 1),
        ("SRE", 2),
    ]


def test_a_subtree_is_the_team_and_everything_below_it(org, teams):
    # when the subtree of Engineering, Platform and Design are read
    # then each holds the team itself and every team below it
    assert team_subtree_ids(organization=org, team_id=teams["Engineering"].pk) == {
        teams[name].pk for name in ("Engineering", "Platform", "SRE", "Apps")
    }
    assert team_subtree_ids(organization=org, team_id=teams["Platform"].pk) == {
        teams["Platform"].pk,
        teams["SRE"].pk,
    }
    assert team_subtree_ids(organization=org, team_id=teams["Design"].pk) == {teams["Design"].pk}


def test_another_organizations_team_has_no_subtree_here(org, other_org, teams):
    # given a team of another organization
    elsewhere = TeamFactory(organization=other_org, name="Far away")
    # when its subtree is read in this organization
    # then it is empty
    assert team_subtree_ids(organization=org, team_id=elsewhere.pk) == frozenset()
