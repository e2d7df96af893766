"""The invitations list: each invitation's status in words, filtered by status, paged newest first and
searched, this organization's only, in as many queries whatever its length."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import InvitationStatus
from execgap.models import Membership, Role
from tests.accounts.factories import make_invitation
from tests.factories import UserFactory
from tests.web.conftest import org_url, query_count
from tests.web.paging import BAD_CURSOR_MESSAGE, follow, walk

pytestmark = pytest.mark.django_db

INVITATIONS = "Pages of invitations"


def test_the_list_says_each_invitations_status_in_words(client, signed_in, org):
    # given invitations in each state
    now = timezone.now()
    make_invitation(org, email="pending@example.com")
    make_invitation(org, email="late@example.com", expires_at=now - timedelta(days=1))
    make_invitation(org, email="withdrawn@example.com", revoked_at=now)
    joined = UserFactory(username="joined")
    make_invitation(org, email="joined@example.com", accepted_at=now, accepted_by=joined)
    signed_in(Role.ADMIN)
    # when an admin opens the page
    response = client.get(org_url("invitation_create", org))
    # then each row shows its status in words, and only the pending and expired ones can be revoked
    statuses = {invitation.email: status for invitation, status in response.context["rows"]}
    assert statuses == {
        "pending@example.com": InvitationStatus.PENDING,
        "late@example.com": InvitationStatus.EXPIRED,
        "withdrawn@example.com": InvitationStatus.REVOKED,
        "joined@example.com": InvitationStatus.ACCEPTED,
    }
    html = response.content.decode()
    for word in ("Pending", "Expired", "Revoked", "Accepted"):
        assert word in html
    assert "by joined" in html
    assert 'aria-label="Revoke the invitation of pending@example.com"' in html
    assert 'aria-label="Revoke the invitation of late@example.com"' in html
    assert 'aria-label="Revoke the invitation of joined@example.com"' not in html


def test_the_list_shows_only_this_organizations_invitations(client, signed_in, org, other_org):
    # given an invitation of each organization
    make_invitation(org, email="ours@example.com")
    make_invitation(other_org, email="theirs@example.com")
    signed_in(Role.ADMIN)
    # when an admin opens the page
    html = client.get(org_url("invitation_create", org)).content.decode()
    # then only their organization's invitation is there
    assert "ours@example.com" in html
    assert "theirs@example.com" not in html


def test_the_list_links_each_pending_invitation_to_its_confirmation_with_its_expiry(client, signed_in, org):
    # given a pending invitation
    invitation, _ = make_invitation(org, email="ada@example.com")
    signed_in(Role.ADMIN)
    # when an admin opens the invitations
    html = client.get(org_url("invitation_create", org)).content.decode()
    # then its row says when it expires, and Revoke is a link to the confirmation
    assert f'<time datetime="{invitation.expires_at.date().isoformat()}">' in html
    assert f'href="{org_url("invitation_revoke", org, pk=invitation.pk)}"' in html
    assert '<th scope="col" class="col-secondary">Expires</th>' in html


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("pending", ["pending@example.com"]),
        ("accepted", ["accepted@example.com"]),
        ("revoked", ["revoked@example.com"]),
        ("expired", ["expired@example.com"]),
        ("", ["expired@example.com", "revoked@example.com", "accepted@example.com", "pending@example.com"]),
    ],
)
def test_the_list_shows_the_invitations_of_one_status(client, signed_in, org, status, shown):
    # given an invitation of each status
    now = timezone.now()
    make_invitation(org, email="pending@example.com")
    make_invitation(org, email="accepted@example.com", accepted_at=now)
    make_invitation(org, email="revoked@example.com", revoked_at=now)
    make_invitation(org, email="expired@example.com", expires_at=now)
    signed_in(Role.ADMIN)
    # when an admin chooses a status
    response = client.get(org_url("invitation_create", org), {"status": status})
    # then only those of that status are listed, newest first
    html = response.content.decode()
    assert response.status_code == 200
    listed = re.findall(r"<td>([a-z]+@example\.com)</td>", html)
    assert listed == shown


def test_a_status_that_is_not_one_answers_400_and_shows_every_invitation(client, signed_in, org):
    # given an invitation
    make_invitation(org, email="ada@example.com")
    signed_in(Role.ADMIN)
    # when the status filter names no status
    response = client.get(org_url("invitation_create", org), {"status": "lost"})
    # then the page says so, and lists them all
    assert response.status_code == 400
    html = response.content.decode()
    assert "“lost” is not a status of an invitation" in html
    assert "ada@example.com" in html


def test_with_no_pending_invitation_the_list_says_so(client, signed_in, org):
    # given only an accepted invitation
    make_invitation(org, email="in@example.com", accepted_at=timezone.now())
    signed_in(Role.ADMIN)
    # when an admin lists the pending ones
    html = client.get(org_url("invitation_create", org), {"status": "pending"}).content.decode()
    # then the list says there are none
    assert "No pending invitation now." in html


def _invitations(organization, count, inviter):
    now = timezone.now()
    for number in range(count):
        fields = {"invited_by": inviter}
        if number % 3 == 1:
            fields |= {"accepted_at": now, "accepted_by": UserFactory()}
        elif number % 3 == 2:
            fields["revoked_at"] = now
        make_invitation(organization, email=f"person{number}@example.com", **fields)


def test_the_invitations_page_runs_as_many_queries_for_9_invitations_as_for_3(
    client, signed_in, org, other_org
):
    # given an admin of two organizations: one with 3 invitations, one with 9 (pending, accepted, revoked)
    admin = signed_in(Role.ADMIN)
    Membership.objects.create(organization=other_org, user=admin.user, role=Role.ADMIN)
    _invitations(org, 3, admin.user)
    _invitations(other_org, 9, admin.user)
    # when they open each organization's invitations page
    small = query_count(client, org_url("invitation_create", org))
    large = query_count(client, org_url("invitation_create", other_org))
    # then the number of queries does not grow with the invitations
    assert small == large
    assert large <= 12


def test_a_long_list_of_invitations_is_paged_newest_first_and_searched(client, signed_in, org, monkeypatch):
    # given 5 invitations and pages of 2
    monkeypatch.setattr("accounts.onboarding.views.INVITATIONS_PER_PAGE", 2)
    admin = signed_in(Role.ADMIN)
    _invitations(org, 5, admin.user)
    # when an admin walks the pages, then goes back one, then searches an address
    pages = walk(client, client.get(org_url("invitation_create", org)), INVITATIONS, "Older invitations")
    back = follow(client, pages[-1], INVITATIONS, "Newer invitations")
    found = client.get(org_url("invitation_create", org), {"q": "PERSON3@"})
    # then the newest come first, each once, with the way back; the search finds the one
    emails = [[row[0].email for row in page.context["rows"]] for page in pages]
    assert emails == [
        ["person4@example.com", "person3@example.com"],
        ["person2@example.com", "person1@example.com"],
        ["person0@example.com"],
    ]
    assert [row[0].email for row in back.context["rows"]] == emails[1]
    assert [row[0].email for row in found.context["rows"]] == ["person3@example.com"]


def test_a_damaged_page_link_of_the_invitations_answers_400_with_the_newest(client, signed_in, org):
    # given an admin and an invitation
    admin = signed_in(Role.ADMIN)
    _invitations(org, 1, admin.user)
    # when the page is opened with a cursor that is not one
    response = client.get(org_url("invitation_create", org), {"cursor": "not-a-cursor"})
    # then it says so and shows the first page
    assert response.status_code == 400
    assert BAD_CURSOR_MESSAGE in response.content.decode()
    assert [row[0].email for row in response.context["rows"]] == ["person0@example.com"]
