"""The invitations as CSV: every one, newest first, searched by email; for admins only, as the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from execgap.models import Role
from tests.accounts.factories import make_invitation
from tests.web.conftest import org_url
from tests.web.export.downloads import column, download

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitations(org):
    """Three invitations sent a day apart; the oldest revoked."""
    now = timezone.now()
    for days, email in ((2, "old@example.com"), (1, "mid@example.com"), (0, "new@example.com")):
        invitation, _ = make_invitation(org, email=email)
        invitation.created_at = now - timedelta(days=days)
        invitation.revoked_at = now if days == 2 else None
        invitation.save()


def test_the_invitations_download_is_every_one_newest_first(client, signed_in, org, invitations):
    # given an admin
    signed_in(Role.ADMIN)
    # when they download the invitations, and those to "mid"
    every, _ = download(client, org_url("invitations_csv", org))
    searched, _ = download(client, org_url("invitations_csv", org), {"q": "mid"})
    # then each comes with its status, newest first; the search keeps one
    assert column(every, "Email") == ["new@example.com", "mid@example.com", "old@example.com"]
    assert column(every, "Status") == ["Pending", "Pending", "Revoked"]
    assert column(searched, "Email") == ["mid@example.com"]


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_admins_download_the_invitations(client, signed_in, org, invitations, role):
    # given a member who is not an admin
    signed_in(role)
    # when they ask for the invitations
    response = client.get(org_url("invitations_csv", org))
    # then they are refused, as on the page
    assert response.status_code == 403
