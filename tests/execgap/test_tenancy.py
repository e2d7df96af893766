"""No query crosses organizations: every organization-owned model is reached through `for_org`.

The models are discovered (every concrete subclass of `OrgOwnedModel`), so a new model is covered
as soon as it exists; it only needs a factory in `tests/factories`.
"""

from collections.abc import Callable
from typing import Any

import factory
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

import tests.factories
from execgap.models import Membership, Organization, Role
from execgap.roles import Resource
from execgap.services import membership_delete, membership_update, org_row_delete, org_row_update
from execgap.tenancy import OrgOwnedModel
from feedback.models import CheckIn
from objectives import services as objectives
from objectives.models import Task
from tests.factories import (
    InitiativeFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TaskFactory,
)
from tests.objectives.database import nothing_written

pytestmark = pytest.mark.django_db

ORG_OWNED_MODELS = sorted(
    (model for model in apps.get_models() if issubclass(model, OrgOwnedModel)),
    key=lambda model: model._meta.label,
)

# What a factory cannot guess on its own (a check-in needs exactly one target).
EXTRA: dict[type[models.Model], Callable[[Organization], dict[str, Any]]] = {
    CheckIn: lambda org: {"objective": ObjectiveFactory(organization=org)},
}


def _factories() -> dict[type[models.Model], type[factory.django.DjangoModelFactory]]:
    assert tests.factories.__all__  # importing the package registers every factory
    found: dict[type[models.Model], type[factory.django.DjangoModelFactory]] = {}
    stack = list(factory.django.DjangoModelFactory.__subclasses__())
    while stack:
        subclass = stack.pop()
        stack.extend(subclass.__subclasses__())
        model = subclass._meta.model
        if isinstance(model, type):
            found.setdefault(model, subclass)
    return found


FACTORIES = _factories()


def row_of(model: type[models.Model], organization: Organization) -> Any:
    assert model in FACTORIES, f"{model._meta.label} needs a factory in tests/factories"
    extra = EXTRA.get(model, lambda org: {})(organization)
    return FACTORIES[model](organization=organization, **extra)


def _resource_of(model: type[models.Model]) -> Resource:
    # The resource is irrelevant to these tests: the row is never found, so no rule is consulted.
    name = {"KeyResult": "key_result", "FeedbackItem": "feedback", "CheckIn": "check_in"}.get(
        model.__name__, model.__name__.lower()
    )
    return Resource(name) if name in Resource.__members__.values() else Resource.OBJECTIVE


EVERY_MODEL = [pytest.param(model, id=model._meta.label) for model in ORG_OWNED_MODELS]


def test_the_discovery_finds_the_plan_resource_and_feedback_models():
    labels = {model._meta.label for model in ORG_OWNED_MODELS}
    assert {
        "objectives.Objective",
        "objectives.KeyResult",
        "objectives.Initiative",
        "objectives.Task",
        "resources.Team",
        "resources.Person",
        "resources.Allocation",
        "feedback.CheckIn",
        "feedback.FeedbackItem",
        "feedback.Recognition",
    } <= labels


@pytest.mark.parametrize("model", EVERY_MODEL)
def test_every_organization_owned_model_is_reached_through_for_org(model):
    assert callable(getattr(model.objects, "for_org", None))
    # the default manager too: related managers, the admin and DRF start from it
    assert callable(getattr(model._default_manager, "for_org", None))


@pytest.mark.parametrize("model", EVERY_MODEL)
def test_for_org_never_returns_another_organizations_rows(model, org, other_org):
    # given a row in each of two organizations
    ours = row_of(model, org)
    theirs = row_of(model, other_org)
    # when one organization's rows are asked for, by organization or by its id
    for scope in (org, org.pk):
        found = list(model.objects.for_org(scope))
        # then its row is there and none of the other's
        assert ours in found
        assert theirs not in found
        assert {row.organization_id for row in found} == {org.pk}


@pytest.mark.parametrize("model", EVERY_MODEL)
def test_the_generic_services_cannot_change_or_delete_another_organizations_row(model, member_of, other_org):
    # given an admin of one organization and a row of another
    admin = member_of(Role.ADMIN)
    theirs = row_of(model, other_org)
    # when the admin tries to change or delete it
    # then it is as if it did not exist, and nothing changes
    with nothing_written():
        with pytest.raises(model.DoesNotExist):
            org_row_update(actor=admin, resource=_resource_of(model), instance=theirs, data={})
        with pytest.raises(model.DoesNotExist):
            org_row_delete(actor=admin, resource=_resource_of(model), instance=theirs)


@pytest.fixture
def their_plan(other_org):
    objective = ObjectiveFactory(organization=other_org)
    return {
        "objective": objective,
        "key_result": KeyResultFactory(organization=other_org, objective=objective),
        "initiative": InitiativeFactory(organization=other_org, objective=objective),
        "task": TaskFactory(organization=other_org),
    }


@pytest.mark.parametrize("kind", ["objective", "key_result", "initiative", "task"])
def test_the_objectives_services_cannot_change_or_delete_another_organizations_row(
    executive, their_plan, kind
):
    row = their_plan[kind]
    update = getattr(objectives, f"{kind}_update")
    delete = getattr(objectives, f"{kind}_delete")
    with nothing_written():
        with pytest.raises(type(row).DoesNotExist):
            update(actor=executive, data={"title": "Taken"}, **{kind: row})
        with pytest.raises(type(row).DoesNotExist):
            delete(actor=executive, **{kind: row})


def test_linking_another_organizations_tasks_is_refused_like_missing_tasks(executive, org, their_plan):
    initiative = InitiativeFactory(organization=org)
    with nothing_written(), pytest.raises(ValidationError) as theirs:
        objectives.tasks_link_to_goal(
            actor=executive, task_ids=[their_plan["task"].pk], initiative=initiative
        )
    with nothing_written(), pytest.raises(ValidationError) as missing:
        objectives.tasks_link_to_goal(actor=executive, task_ids=[987654], initiative=initiative)
    assert theirs.value.message_dict.keys() == missing.value.message_dict.keys() == {"tasks"}
    assert str(their_plan["task"].pk) in theirs.value.message_dict["tasks"][0]
    assert theirs.value.message_dict["tasks"][0].replace(
        str(their_plan["task"].pk), "N"
    ) == missing.value.message_dict["tasks"][0].replace("987654", "N")


def test_an_admin_cannot_change_or_remove_another_organizations_membership(admin, other_org):
    theirs = MembershipFactory(organization=other_org, role=Role.MEMBER)
    with nothing_written():
        with pytest.raises(Membership.DoesNotExist):
            membership_update(actor=admin, membership=theirs, role=Role.VIEWER)
        with pytest.raises(Membership.DoesNotExist):
            membership_delete(actor=admin, membership=theirs)


def test_validating_a_link_looks_for_the_row_only_within_the_organization(org, other_org):
    # given a task of one organization linked (by id) to another organization's initiative
    theirs = InitiativeFactory(organization=other_org)
    task = Task(organization=org, title="Stray", initiative_id=theirs.pk)
    # when it is validated
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
        task.full_clean()
    # then every look at the initiatives table was scoped to the task's organization
    lookups = [query["sql"] for query in queries if '"objectives_initiative"' in query["sql"]]
    assert lookups
    assert all('"organization_id"' in sql for sql in lookups), lookups
