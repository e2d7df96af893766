"""The article before a noun a message or title builds from a name: "a" or "an" as the noun is said."""

from __future__ import annotations

import pytest

from execgap.text import with_article


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("allocation", "an allocation"),
        ("initiative", "an initiative"),
        ("objective snapshot", "an objective snapshot"),
        ("key result", "a key result"),
        ("check-in", "a check-in"),
        ("feedback item", "a feedback item"),
        ("task", "a task"),
        ("user", "a user"),
        ("unit", "a unit"),
        ("hour", "an hour"),
        ("API token", "an API token"),
        ("URL", "a URL"),
    ],
)
def test_the_article_follows_the_sound_of_the_noun(noun, expected):
    # given a noun, when it is given its article, then the article is the one it is said with
    assert with_article(noun) == expected


@pytest.mark.django_db
def test_the_api_schema_names_each_operation_with_the_right_article(client):
    # given the OpenAPI schema
    schema = client.get("/api/v1/schema/", headers={"Accept": "application/json"}).json()
    # when its operations' summaries are read
    summaries = {
        operation["summary"]
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "summary" in operation
    }
    # then an allocation is "an allocation", and no summary puts "a" before a vowel
    assert "Create an allocation" in summaries
    assert "Create a key result" in summaries
    assert not [summary for summary in summaries if " a allocation" in summary or " a initiative" in summary]
