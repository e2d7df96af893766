"""user_sign_up: a new user with an unused username and email address."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.services import user_sign_up
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_user_can_log_in_with_their_password():
    # when someone signs up
    user = user_sign_up(username="ada", email="ada@example.com", password="correct horse battery")
    # then their account holds the email and checks the password
    assert user.email == "ada@example.com"
    assert user.check_password("correct horse battery")


@pytest.mark.parametrize(
    ("username", "email", "field"),
    [("ADA", "other@example.com", "username"), ("other", "Ada@Example.COM", "email")],
)
def test_a_username_or_email_in_use_is_refused_whatever_its_case(username, email, field):
    # given an existing user
    UserFactory(username="ada", email="ada@example.com")
    # when someone signs up with the same username or email in other letters
    with pytest.raises(ValidationError) as refused:
        user_sign_up(username=username, email=email, password="correct horse battery")
    # then the field in use is named, and no user is added
    assert set(refused.value.message_dict) == {field}
    assert get_user_model().objects.count() == 1
