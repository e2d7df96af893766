"""A small organization where notifications have someone to reach: Growth, led by Lena, with an
objective owned by Omar and a member, Mia, who raises blockers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from execgap.celery import app as celery_app
from execgap.models import Membership, Role
from objectives.models import Objective
from resources.models import Team
from tests.conftest import person_of
from tests.factories import ObjectiveFactory, TeamFactory


@dataclass(frozen=True)
class Growth:
    team: Team
    objective: Objective
    lead: Membership
    owner: Membership
    member: Membership
    executive: Membership


@pytest.fixture
def growth(org, member_of) -> Growth:
    lead = member_of(Role.LEAD)
    owner = member_of(Role.MEMBER)
    member = member_of(Role.MEMBER)
    executive = member_of(Role.EXECUTIVE)
    for membership, email in (
        (lead, "lena@example.com"),
        (owner, "omar@example.com"),
        (member, "mia@example.com"),
    ):
        membership.user.email = email
        membership.user.save(update_fields=["email"])
    team = TeamFactory(organization=org, name="Growth", lead=person_of(lead))
    for membership in (lead, owner, member):
        person = person_of(membership)
        person.team = team
        person.save(update_fields=["team"])
    objective = ObjectiveFactory(organization=org, title="Grow self-serve", team=team, owner=person_of(owner))
    return Growth(team=team, objective=objective, lead=lead, owner=owner, member=member, executive=executive)


@pytest.fixture(autouse=True)
def _in_process(settings) -> Iterator[None]:
    """The tasks an event enqueues run in this process, as they do without REDIS_URL (the worker's
    side is the browser tests'), and each test starts with no email batch window open (the windows
    are kept in the cache)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = saved
