"""The rule table, rule by rule (the scoped rules on real rows: test_role_scopes.py).

`EXPECTED` is written out by hand from the issue (viewer reads; member also creates tasks,
check-ins, feedback and recognitions and edits their own tasks; lead also manages their team's
plan and answers their team's feedback; executive manages the whole plan; admin also manages the
organization, its settings, teams, people, memberships and tokens; leads and up draft what-if
scenarios, which everyone reads; everyone reads alert rules and alerts, which leads write for their
teams and executives for everything; only admins see and manage webhook endpoints; executives and
admins read the weekly digest). It is never derived from `RULES`, so a change to the table fails
here until this specification changes with it.
"""

import pytest

from execgap.models import Membership, Role
from execgap.roles import Action, Resource, Scope, is_allowed, scope_of

# "any": every row of the organization; "team": rows of the member's teams and the teams below;
# "own": their own rows; "own+team": both; "-": nothing.
EXPECTED_TABLE = """
resource      action     admin  executive  lead      member  viewer
organization  view       any    any        any       any     any
organization  create     -      -          -         -       -
organization  change     any    -          -         -       -
organization  delete     any    -          -         -       -
organization  answer     -      -          -         -       -
organization  recompute  -      -          -         -       -
membership    view       any    -          -         -       -
membership    create     any    -          -         -       -
membership    change     any    -          -         -       -
membership    delete     any    -          -         -       -
membership    answer     -      -          -         -       -
membership    recompute  -      -          -         -       -
token         view       own    own        own       own     own
token         create     own    own        own       own     own
token         change     -      -          -         -       -
token         delete     own    own        own       own     own
token         answer     -      -          -         -       -
token         recompute  -      -          -         -       -
team          view       any    any        any       any     any
team          create     any    -          -         -       -
team          change     any    -          -         -       -
team          delete     any    -          -         -       -
team          answer     -      -          -         -       -
team          recompute  -      -          -         -       -
person        view       any    any        any       any     any
person        create     any    -          -         -       -
person        change     any    -          -         -       -
person        delete     any    -          -         -       -
person        answer     -      -          -         -       -
person        recompute  -      -          -         -       -
objective     view       any    any        any       any     any
objective     create     any    any        team      -       -
objective     change     any    any        team      -       -
objective     delete     any    any        team      -       -
objective     answer     -      -          -         -       -
objective     recompute  -      -          -         -       -
key_result    view       any    any        any       any     any
key_result    create     any    any        team      -       -
key_result    change     any    any        team      -       -
key_result    delete     any    any        team      -       -
key_result    answer     -      -          -         -       -
key_result    recompute  -      -          -         -       -
initiative    view       any    any        any       any     any
initiative    create     any    any        team      -       -
initiative    change     any    any        team      -       -
initiative    delete     any    any        team      -       -
initiative    answer     -      -          -         -       -
initiative    recompute  -      -          -         -       -
task          view       any    any        any       any     any
task          create     any    any        any       any     -
task          change     any    any        own+team  own     -
task          delete     any    any        own+team  own     -
task          answer     -      -          -         -       -
task          recompute  -      -          -         -       -
allocation    view       any    any        any       any     any
allocation    create     any    any        team      -       -
allocation    change     any    any        team      -       -
allocation    delete     any    any        team      -       -
allocation    answer     -      -          -         -       -
allocation    recompute  -      -          -         -       -
check_in      view       any    any        any       any     any
check_in      create     any    any        any       own     -
check_in      change     any    any        -         -       -
check_in      delete     any    any        -         -       -
check_in      answer     -      -          -         -       -
check_in      recompute  -      -          -         -       -
feedback      view       any    any        any       any     any
feedback      create     any    any        any       own     -
feedback      change     any    any        -         -       -
feedback      delete     any    any        -         -       -
feedback      answer     any    any        team      -       -
feedback      recompute  -      -          -         -       -
recognition   view       any    any        any       any     any
recognition   create     any    any        any       own     -
recognition   change     any    any        -         -       -
recognition   delete     any    any        -         -       -
recognition   answer     -      -          -         -       -
recognition   recompute  -      -          -         -       -
scores        view       any    any        any       any     any
scores        create     -      -          -         -       -
scores        change     -      -          -         -       -
scores        delete     -      -          -         -       -
scores        answer     -      -          -         -       -
scores        recompute  any    any        any       -       -
task_import   view       any    any        any       any     any
task_import   create     any    any        any       -       -
task_import   change     -      -          -         -       -
task_import   delete     -      -          -         -       -
task_import   answer     -      -          -         -       -
task_import   recompute  -      -          -         -       -
job           view       any    any        any       any     any
job           create     -      -          -         -       -
job           change     -      -          -         -       -
job           delete     -      -          -         -       -
job           answer     -      -          -         -       -
job           recompute  -      -          -         -       -
scenario      view       any    any        any       any     any
scenario      create     any    any        any       -       -
scenario      change     any    any        any       -       -
scenario      delete     any    any        any       -       -
scenario      answer     -      -          -         -       -
scenario      recompute  -      -          -         -       -
alert_rule    view       any    any        any       any     any
alert_rule    create     any    any        team      -       -
alert_rule    change     any    any        team      -       -
alert_rule    delete     any    any        team      -       -
alert_rule    answer     -      -          -         -       -
alert_rule    recompute  -      -          -         -       -
webhook       view       any    -          -         -       -
webhook       create     any    -          -         -       -
webhook       change     any    -          -         -       -
webhook       delete     any    -          -         -       -
webhook       answer     -      -          -         -       -
webhook       recompute  -      -          -         -       -
digest        view       any    any        -         -       -
digest        create     -      -          -         -       -
digest        change     -      -          -         -       -
digest        delete     -      -          -         -       -
digest        answer     -      -          -         -       -
digest        recompute  -      -          -         -       -
"""

SCOPES = {
    "-": None,
    "any": Scope.ANY,
    "team": Scope.TEAM,
    "own": Scope.OWN,
    "own+team": Scope.OWN | Scope.TEAM,
}


def _parse(table: str) -> dict[tuple[Role, Resource, Action], Scope | None]:
    header, *rows = (line.split() for line in table.strip().splitlines())
    roles = [Role(name) for name in header[2:]]
    return {
        (role, Resource(resource), Action(action)): SCOPES[cell]
        for resource, action, *cells in rows
        for role, cell in zip(roles, cells, strict=True)
    }


EXPECTED = _parse(EXPECTED_TABLE)
EVERY_RULE = [
    pytest.param(role, resource, action, id=f"{role.value}-{action.value}-{resource.value}")
    for resource in Resource
    for action in Action
    for role in Role
]


def test_the_expected_table_covers_every_role_resource_and_action():
    assert set(EXPECTED) == {
        (role, resource, action) for role in Role for resource in Resource for action in Action
    }


@pytest.mark.parametrize(("role", "resource", "action"), EVERY_RULE)
def test_the_rule_table_grants(role, resource, action):
    # given a member with this role
    membership = Membership(role=role, organization_id=1)
    # when the table is asked what the role may do, then it grants exactly the expected scope
    assert scope_of(membership, resource, action) == EXPECTED[role, resource, action]
    # and, asked about no row in particular, allows whatever it grants in some scope
    assert is_allowed(membership, resource, action) is (EXPECTED[role, resource, action] is not None)


def test_a_grant_of_own_and_team_rows_is_not_a_grant_of_every_row():
    assert Scope.OWN | Scope.TEAM != Scope.ANY
    assert Scope.ANY not in Scope.OWN | Scope.TEAM
