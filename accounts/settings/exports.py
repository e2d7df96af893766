"""The settings' tables as CSV (`execgap.web.export`), with the roles of their pages: the people
(filtered by team and searched as the list is), the members (admins only, searched) and the teams
(in tree order, or searched)."""

from __future__ import annotations

from typing import Any

from accounts.settings.selectors import (
    MEMBERS_ORDER,
    PEOPLE_ORDER,
    TeamRow,
    member_rows,
    memberships_of,
    team_rows,
    team_rows_detailed,
)
from accounts.settings.views.people import people_filtered
from execgap.roles import Resource
from execgap.web.export import Column, CsvTable, TableRows
from execgap.web.pages import OrgRequest
from execgap.web.paging import search_term


def _name(row: Any) -> str:
    return row.name if row is not None else ""


def _people(request: OrgRequest) -> TableRows:
    _, people = people_filtered(request)
    return TableRows(people, order=PEOPLE_ORDER)


PEOPLE = CsvTable(
    "people",
    (
        Column("Name", lambda person: person.name),
        Column("Email", lambda person: person.email),
        Column("Team", lambda person: _name(person.team)),
        Column("Weekly capacity (hours)", lambda person: person.weekly_capacity_hours),
        Column("Active", lambda person: person.active),
        Column("Signs in as", lambda person: person.user.get_username() if person.user else ""),
    ),
    _people,
    Resource.PERSON,
)


def _members(request: OrgRequest) -> TableRows:
    organization = request.org.organization
    memberships = memberships_of(organization=organization, search=search_term(request))
    return TableRows(
        memberships,
        order=MEMBERS_ORDER,
        prepare=lambda chunk: member_rows(organization=organization, memberships=chunk),
    )


MEMBERS = CsvTable(
    "members",
    (
        Column("Username", lambda row: row.membership.user.get_username()),
        Column("Name", lambda row: row.membership.user.get_full_name()),
        Column("Email", lambda row: row.membership.user.email),
        Column("Role", lambda row: row.membership.get_role_display()),
        Column("Person", lambda row: _name(row.person)),
        Column("Member since", lambda row: row.membership.created_at),
    ),
    _members,
    Resource.MEMBERSHIP,
)


def _teams(request: OrgRequest) -> TableRows:
    organization = request.org.organization

    def prepare(rows: list[TeamRow]) -> list[TeamRow]:
        return team_rows_detailed(organization=organization, rows=rows)

    return TableRows(team_rows(organization=organization, search=search_term(request)), prepare=prepare)


TEAMS = CsvTable(
    "teams",
    (
        Column("Team", lambda row: row.team.name),
        Column("Part of", lambda row: _name(row.parent)),
        Column("Lead", lambda row: _name(row.team.lead)),
        Column("People", lambda row: row.people_count),
    ),
    _teams,
    Resource.TEAM,
)
