"""Reading a Jira export and turning its cells into task fields (no database)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from objectives.imports.mapping import JiraColumns, jira_row_input
from objectives.imports.options import import_options
from objectives.imports.rows import read_jira_csv, read_upload
from tests.imports.jira import Issue, jira_export


def only_row(text: str, **options):
    rows = read_jira_csv(text)
    (row,) = rows.rows
    return jira_row_input(row, columns=JiraColumns(rows), options=import_options(**options))


def test_quoted_commas_quotes_and_line_breaks_stay_in_their_field():
    # given an export with a byte-order mark and a summary full of CSV's special characters
    text = "\ufeff" + jira_export([Issue("A-1", 'One, "two"\nthree\r\nfour')])
    # when it is read
    rows = read_jira_csv(text.encode())
    # then it is one row, the second of the sheet, with its summary whole
    assert [row.number for row in rows.rows] == [2]
    assert rows.rows[0].values["summary"] == 'One, "two"\nthree\r\nfour'
    # and the title keeps its words on one line
    assert only_row(text).values["title"] == 'One, "two" three four'


def test_a_repeated_column_keeps_its_first_value_and_custom_fields_lose_their_wrapper():
    # given Labels twice, the first one empty, and the epic link as Jira Cloud names it
    rows = read_jira_csv(jira_export([Issue("A-1", "x", labels=("", "q3"), epic_link="A-9")]))
    # then the second Labels value is kept, and "Custom field (Epic Link)" reads as "epic link"
    assert rows.rows[0].values["labels"] == "q3"
    assert rows.rows[0].values["epic link"] == "A-9"


def test_rows_are_numbered_as_a_spreadsheet_shows_them_skipping_blank_lines():
    # given a blank line between two issues
    text = "Issue key,Summary\r\nA-1,One\r\n,\r\nA-2,Two\r\n"
    # then the second issue is row 4
    assert [row.number for row in read_jira_csv(text).rows] == [2, 4]


@pytest.mark.parametrize(
    ("seconds", "hours"),
    [("3600", Decimal("1.00")), ("5400", Decimal("1.50")), ("100", Decimal("0.03")), ("0", Decimal("0.00")),
     ("", None)],
)  # fmt: skip
def test_original_estimate_in_seconds_is_effort_in_hours(seconds, hours):
    assert only_row(jira_export([Issue("A-1", "x", estimate=seconds)])).values["effort_hours"] == hours


@pytest.mark.parametrize("seconds", ["2h", "-1", "NaN"])
def test_an_estimate_that_is_not_seconds_is_an_error_on_its_column(seconds):
    given = only_row(jira_export([Issue("A-1", "x", estimate=seconds)]))
    assert [issue.column for issue in given.errors] == ["Original Estimate"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/Mar/24 4:15 PM", datetime(2024, 3, 12, 16, 15, tzinfo=UTC)),
        ("12/mar/2024 09:05 am", datetime(2024, 3, 12, 9, 5, tzinfo=UTC)),
        ("2024-03-12 16:15", datetime(2024, 3, 12, 16, 15, tzinfo=UTC)),
        ("2024-03-12T16:15:00.000+0100", datetime(2024, 3, 12, 15, 15, tzinfo=UTC)),
    ],
)
def test_resolved_dates_in_jira_formats(text, expected):
    assert only_row(jira_export([Issue("A-1", "x", "Done", resolved=text)])).resolved == expected


def test_dates_without_an_offset_are_read_in_the_import_time_zone():
    given = only_row(
        jira_export([Issue("A-1", "x", "Done", resolved="2024-03-12 16:15")]), timezone="Europe/Paris"
    )
    assert given.resolved == datetime(2024, 3, 12, 15, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-30", date(2024, 4, 30)),
        ("30/Apr/24", date(2024, 4, 30)),
        ("30/Apr/24 12:00 AM", date(2024, 4, 30)),
    ],
)
def test_due_dates_in_jira_formats(text, expected):
    assert only_row(jira_export([Issue("A-1", "x", due=text)])).values["due_date"] == expected


def test_a_date_that_cannot_be_read_is_an_error_on_its_column():
    given = only_row(jira_export([Issue("A-1", "x", due="next Tuesday")]))
    assert [(issue.column, issue.message) for issue in given.errors] == [
        ("Due Date", "Not a date: 'next Tuesday'. Use YYYY-MM-DD or Jira's 12/Mar/24.")
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("To Do", "todo"), ("open", "todo"), ("BACKLOG", "todo"), ("In  Review", "in_progress"),
     ("Blocked", "blocked"), ("Resolved", "done"), ("Closed", "done"), ("Won't Do", "cancelled"),
     ("Cancelled", "cancelled"), ("in_progress", "in_progress")],
)  # fmt: skip
def test_the_default_status_map(status, expected):
    assert only_row(jira_export([Issue("A-1", "x", status)])).values["status"] == expected


def test_the_clients_status_map_adds_to_the_defaults_and_overrides_them():
    options = {"status_map": {"QA": "in_progress", "Closed": "cancelled"}}
    assert only_row(jira_export([Issue("A-1", "x", "qa")]), **options).values["status"] == "in_progress"
    assert only_row(jira_export([Issue("A-1", "x", "Closed")]), **options).values["status"] == "cancelled"
    assert only_row(jira_export([Issue("A-1", "x", "Done")]), **options).values["status"] == "done"


def test_a_missing_column_leaves_its_field_alone():
    # given an export with only a key and a summary
    given = only_row("Issue key,Summary\r\nA-1,Only a title\r\n")
    # then only the title is set (a re-import keeps the status, estimate, ... it has)
    assert given.values == {"title": "Only a title"}
    assert (given.assignee_name, given.link_refs) == (None, [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty: send a Jira CSV export with its header row."),
        (b"Summary\r\nx\r\n", "The file has no 'Issue key' column: export the issues from Jira as CSV."),
        (
            "Issue key\r\nCafé\r\n".encode("utf-16"),
            "The file is not UTF-8 text: export it from Jira as UTF-8.",
        ),
        (b'Issue key\r\n"A-1\0"\r\n', "The file holds a NUL character: is it a CSV export?"),
        (b"[1,", "The file is not valid JSON (Expecting value: line 1 column 4 (char 3))."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(content, message):
    with pytest.raises(ValidationError) as refused:
        read_upload(content)
    assert refused.value.message_dict == {"file": [message]}
