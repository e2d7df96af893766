"""The invitations page of an organization's settings: admins invite by email, list and revoke."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus
from execgap.models import Membership, Role
from tests.accounts.factories import make_invitation
from tests.factories import UserFactory
from tests.web.conftest import org_url, query_count
from tests.web.paging import BAD_CURSOR_MESSAGE, follow, walk

pytestmark = pytest.mark.django_db

INVITATIONS = "Pages of invitations"


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_an_admin_opens_or_posts_to_the_invitations_page(client, signed_in, org, role, method):
    # given a member who is not an admin
    signed_in(role)
    # when they open the page, or post an invitation
    response = getattr(client, method)(
        org_url("invitation_create", org), {"email": "x@example.com", "role": "admin"}
    )
    # then they are refused, with their role named, and nothing is sent
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_anonymous_visitor_is_asked_to_log_in(client, org):
    # when someone not logged in opens the page
    response = client.get(org_url("invitation_create", org))
    # then they log in first
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_an_admin_invites_a_colleague_who_joins_through_the_emailed_link(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an admin on the invitations page
    signed_in(Role.ADMIN)
    # when they invite a colleague as team lead
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            org_url("invitation_create", org), {"email": "grace@example.com", "role": "lead"}
        )
    # then they are back on the page, told it was sent, and the invitation is listed as pending
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Invitation sent to grace@example.com" in html
    assert "grace@example.com" in html
    assert "Pending" in html
    # and the colleague's email holds an absolute link
    [message] = mail.outbox
    assert message.to == ["grace@example.com"]
    link = next(
        word for word in message.body.split() if word.startswith("http://testserver/accounts/invitations/")
    )
    # when the colleague, signed in with their own account, opens the link and accepts
    client.logout()
    colleague = UserFactory(email="grace@example.com")
    client.force_login(colleague)
    path = link.removeprefix("http://testserver")
    assert org.name in client.get(path).content.decode()
    accepted = client.post(path)
    # then they are a team lead of the organization, on its health page
    assert accepted["Location"] == org_url("health", org)
    assert Membership.objects.get(organization=org, user=colleague).role == Role.LEAD


def test_an_invalid_invitation_shows_the_error_beside_the_field_and_keeps_the_input(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an admin, and a member with a known address
    signed_in(Role.ADMIN)
    existing = UserFactory(email="member@example.com")
    Membership.objects.create(organization=org, user=existing, role=Role.MEMBER)
    # when the admin invites that address
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            org_url("invitation_create", org), {"email": "member@example.com", "role": "viewer"}
        )
    # then the page answers 400 with the reason beside the email field, input kept, nothing sent
    assert response.status_code == 400
    assert "already a member" in response.context["form"].errors["email"][0]
    html = response.content.decode()
    assert 'value="member@example.com"' in html
    assert '<option value="viewer" selected>' in html
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_malformed_address_or_unknown_role_is_refused(client, signed_in, org):
    # given an admin
    signed_in(Role.ADMIN)
    # when they post a malformed address and a role that does not exist
    response = client.post(org_url("invitation_create", org), {"email": "grace", "role": "owner"})
    # then both fields say why
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "role"}
    assert not Invitation.objects.exists()


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


def test_an_admin_revokes_an_invitation_and_its_link_stops_working(client, signed_in, org):
    # given a pending invitation
    invitation, token = make_invitation(org)
    signed_in(Role.ADMIN)
    # when an admin revokes it
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk))
    # then it is revoked, and its link answers that it was withdrawn
    assert response["Location"] == org_url("invitation_create", org)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert client.get(reverse("invitation_accept", kwargs={"token": token})).status_code == 410


def test_an_invitation_of_another_organization_cannot_be_revoked(client, signed_in, org, other_org):
    # given an invitation of another organization
    invitation, _ = make_invitation(other_org)
    signed_in(Role.ADMIN)
    # when this organization's admin posts its id to their revoke URL
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk))
    # then it is not found, and stays pending
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_revokes(client, signed_in, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, _ = make_invitation(org)
    signed_in(role)
    # when they post to revoke it
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk))
    # then they are refused and it stays pending
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_revoking_asks_first_and_the_link_alone_changes_nothing(client, signed_in, org):
    # given a pending invitation and an admin
    invitation, _ = make_invitation(org, email="ada@example.com")
    signed_in(Role.ADMIN)
    # when the admin follows the list's Revoke link (a GET, as a prefetch would be)
    url = org_url("invitation_revoke", org, pk=invitation.pk)
    response = client.get(url)
    # then a page asks to confirm, posting to the same address, and nothing happened yet
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Revoke the invitation of ada@example.com</h1>" in html
    assert f'<form method="post" action="{url}"' in html
    assert f'href="{org_url("invitation_create", org)}">Cancel</a>' in html
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_sees_the_confirmation(client, signed_in, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, _ = make_invitation(org)
    signed_in(role)
    # when they open its revoke page
    response = client.get(org_url("invitation_revoke", org, pk=invitation.pk))
    # then they are refused, and told who may
    assert response.status_code == 403
    assert "This is open to admins only." in response.content.decode()


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


def test_an_invitation_resent_a_moment_ago_is_not_sent_again_yet(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given a pending invitation an admin has just resent
    invitation, _ = make_invitation(org, email="ada@example.com")
    signed_in(Role.ADMIN)
    url = org_url("invitation_resend", org, pk=invitation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    invitation.refresh_from_db()
    version = invitation.version
    # when they resend it again at once
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    # then they are told when it can be resent, the first email only went out, and its link is unchanged
    assert "was sent again a moment ago: it can be resent in" in response.content.decode()
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.version == version


def test_an_invitation_resent_a_while_ago_can_be_resent(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an invitation resent three minutes ago
    invitation, _ = make_invitation(org, email="ada@example.com", version=2)
    Invitation.objects.filter(pk=invitation.pk).update(updated_at=timezone.now() - timedelta(minutes=3))
    signed_in(Role.ADMIN)
    # when an admin resends it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(org_url("invitation_resend", org, pk=invitation.pk), follow=True)
    # then it is sent
    assert "Invitation sent again to ada@example.com" in response.content.decode()
    assert len(mail.outbox) == 1


def test_revoking_an_accepted_invitation_says_why_it_is_refused(client, signed_in, org):
    # given an accepted invitation
    invitation, _ = make_invitation(org, email="in@example.com", accepted_at=timezone.now())
    signed_in(Role.ADMIN)
    # when an admin posts to revoke it
    response = client.post(org_url("invitation_revoke", org, pk=invitation.pk), follow=True)
    # then they are told why, and it stays accepted
    assert "has already joined" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


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


def test_an_admin_resends_an_expired_invitation_from_the_list(
    client, signed_in, org, django_capture_on_commit_callbacks
):
    # given an expired invitation
    invitation, old_token = make_invitation(org, email="late@example.com", expires_at=timezone.now())
    signed_in(Role.ADMIN)
    # when an admin resends it from the list
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(org_url("invitation_resend", org, pk=invitation.pk), follow=True)
    # then they are told it was sent, a new link is emailed, and the old link no longer opens it
    assert "Invitation sent again to late@example.com" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["late@example.com"]
    assert client.get(reverse("invitation_accept", kwargs={"token": old_token})).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_invitation_of_another_organization_cannot_be_resent(client, signed_in, org, other_org):
    # given an invitation of another organization
    invitation, _ = make_invitation(other_org)
    signed_in(Role.ADMIN)
    # when this organization's admin posts its id to their resend URL
    response = client.post(org_url("invitation_resend", org, pk=invitation.pk))
    # then it is not found, and nothing is sent
    assert response.status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.LEAD, Role.MEMBER, Role.VIEWER])
def test_only_an_admin_resends(client, signed_in, org, role):
    # given a pending invitation and a member who is not an admin
    invitation, _ = make_invitation(org)
    signed_in(role)
    # when they post to resend it
    response = client.post(org_url("invitation_resend", org, pk=invitation.pk))
    # then they are refused
    assert response.status_code == 403
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)  # the email goes when the invitation commits, during the request
def test_an_invitation_whose_email_failed_is_kept_and_the_admin_is_told(client, signed_in, org, monkeypatch):
    # given a mail server that is down
    def unreachable(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("accounts.services.send_mail", unreachable)
    signed_in(Role.ADMIN)
    # when an admin invites someone
    response = client.post(
        org_url("invitation_create", org), {"email": "grace@example.com", "role": "member"}, follow=True
    )
    # then the page says the email could not be sent and what to do, and the invitation is listed
    html = response.content.decode()
    assert "could not be sent" in html
    assert "Resend" in html
    assert Invitation.objects.filter(email="grace@example.com").exists()


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
