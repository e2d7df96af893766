"""Log in, password change and reset: Django's views with ExecGap's pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh pass phrase 77"


def test_the_login_page_offers_sign_up_and_password_reset(client):
    # when a visitor opens the login page on their way to a page
    html = client.get(reverse("login"), {"next": "/o/acme/"}).content.decode()
    # then they may sign up (coming back to that page) or reset a forgotten password
    assert f'href="{reverse("signup")}?next=/o/acme/"' in html
    assert f'href="{reverse("password_reset")}"' in html
    assert "Forgot your password?" in html


def test_a_wrong_password_is_refused_with_the_username_kept(client):
    # given a user
    user = UserFactory()
    # when they log in with a wrong password
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    # then the page says so, keeping the username
    assert response.status_code == 200
    html = response.content.decode()
    assert "correct username and password" in html
    assert f'value="{user.username}"' in html


def test_a_forgotten_password_is_reset_through_the_emailed_link(client):
    # given a user with an email address
    user = UserFactory(email="ada@example.com")
    # when they ask for a reset
    response = client.post(reverse("password_reset"), {"email": "ada@example.com"})
    # then they are told to check their email, and the email holds a link
    assert response["Location"] == reverse("password_reset_done")
    assert "Check your email" in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Reset your ExecGap password"
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    # when they open the link (Django moves the token out of the address) and choose a new password
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    # then the new password is set and logs them in
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # and the link does not work a second time
    assert "not valid" in client.get(link, follow=True).content.decode()


def test_a_weak_new_password_is_refused_beside_its_field(client):
    # given a user who opened their reset link
    UserFactory(email="ada@example.com")
    client.post(reverse("password_reset"), {"email": "ada@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    # when they choose a common password
    response = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    # then it is refused beside the field
    assert response.status_code == 200
    assert "too common" in " ".join(response.context["form"].errors["new_password2"])
    assert 'id="id_new_password2_error"' in response.content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    # when someone asks a reset for an address no account uses
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    # then the answer is the same (nobody learns which addresses have accounts), and nothing is sent
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_signed_in_user_changes_their_password(client):
    # given a signed-in user
    user = UserFactory()
    client.force_login(user)
    assert "Change your password" in client.get(reverse("password_change")).content.decode()
    # when they change their password
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "a-long-test-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    # then it is changed, and they are told so while staying logged in
    assert response["Location"] == reverse("password_change_done")
    assert "password is changed" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_is_refused_beside_its_field(client):
    # given a signed-in user
    user = UserFactory()
    client.force_login(user)
    # when they change their password giving a wrong current one
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # then it is refused beside that field, and the password stays
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password("a-long-test-password")


def test_the_password_change_page_needs_a_login(client):
    # when someone not logged in opens it
    response = client.get(reverse("password_change"))
    # then they log in first
    assert response["Location"].startswith(reverse("login"))
