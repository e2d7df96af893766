"""The header's menu as the server sends it: whole without JavaScript, folded only by the script.

static/js/phone.js folds the menu behind its toggle on a narrow screen (tests/e2e/test_every_page.py
drives it in a browser); here, the markup it relies on: a toggle that is hidden until the script shows
it, names what it controls and says whether it is open, and one menu holding the organization's
pages, the organization and the account menu.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from execgap.models import Role
from tests.web.conftest import org_url

pytestmark = pytest.mark.django_db

TOGGLE = re.compile(r"<button [^>]*class=\"nav-toggle\"[^>]*>")


def _menu(html: str) -> str:
    """The markup of the folding menu, from its opening tag to the end of the header."""
    start = html.index('<div class="site-menu" id="site-menu">')
    return html[start : html.index("</header>", start)]


def test_an_organization_page_sends_the_whole_menu_behind_a_hidden_toggle(client, signed_in, org):
    # given a member of an organization
    signed_in(Role.MEMBER)
    # when they open its health page
    html = client.get(org_url("health", org)).content.decode()
    # then the toggle is hidden (the script shows it), controls the menu and says it is open
    toggle = TOGGLE.search(html)
    assert toggle is not None
    assert " hidden" in toggle.group(0)
    assert 'aria-controls="site-menu"' in toggle.group(0)
    assert 'aria-expanded="true"' in toggle.group(0)
    # and the menu holds the organization's pages, the organization's name and the account menu
    menu = _menu(html)
    assert '<nav aria-label="Main">' in menu
    assert f'href="{org_url("plan_history", org)}"' in menu
    assert org.name in menu
    assert 'class="account-menu"' in menu
    assert reverse("logout") in menu


def test_a_visitor_who_is_not_signed_in_gets_no_menu(client):
    # when someone not signed in opens the login page
    html = client.get(reverse("login")).content.decode()
    # then there is neither a menu nor its toggle
    assert TOGGLE.search(html) is None
    assert 'id="site-menu"' not in html
