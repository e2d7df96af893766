import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Invitation, token_digest
from execgap.models import Role
from tests.factories.core import OrganizationFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation. Its token is not kept: pass `token_digest=token_digest(token)` to know it."""

    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Role.MEMBER
    token_digest = factory.LazyFunction(lambda: token_digest(secrets.token_urlsafe(32)))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
