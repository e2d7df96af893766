"""Every response carries a Content-Security-Policy with no inline script, and a Permissions-Policy;
the templates have no inline script or event handler attribute for that policy to block."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.deployment.layout import ROOT


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/api/docs/", "/api/v1/schema/"])
def test_pages_carry_the_content_security_policy_and_the_permissions_policy(client, path):
    response = client.get(path)
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";")
    )
    # then scripts come from ExecGap itself only, never inline, and nothing may frame it
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    # and the browser features ExecGap does not use are off
    assert response["Permissions-Policy"] == settings.EXECGAP_PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_swagger_ui_loads_its_start_up_script_as_a_file(client):
    # given the docs page, when its start-up script is fetched from the URL the page names
    page = client.get("/api/docs/").content.decode()
    assert not re.search(r"<script>(?!\s*</script>)", page)
    script = client.get("/api/docs/?script=")
    # then it is JavaScript served by ExecGap, which the policy allows
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_no_template_has_an_inline_script_or_event_handler():
    # given every template of the project
    offenders = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        # a <script> without src (data blocks of type application/json are not run, and allowed)
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{template.name}: {tag}")
        offenders += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        offenders += [f"{template.name}: javascript: URL" for m in re.findall(r"javascript:", text)]
    # then there is none: the Content-Security-Policy would block it
    assert offenders == []
