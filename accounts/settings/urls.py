from django.urls import path

from accounts.settings import exports
from accounts.settings.views import members, organization, people, teams
from execgap.web.export import csv_view

urlpatterns = [
    path("", organization.settings, name="settings"),
    path("teams/", teams.team_list, name="settings_teams"),
    path("teams/new/", teams.team_new, name="settings_team_create"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="settings_team_edit"),
    path("teams/<int:pk>/delete/", teams.team_remove, name="settings_team_delete"),
    path("people/", people.person_list, name="settings_people"),
    path("people/new/", people.person_new, name="settings_person_create"),
    path("people/<int:pk>/edit/", people.person_edit, name="settings_person_edit"),
    path("people/<int:pk>/delete/", people.person_remove, name="settings_person_delete"),
    path("members/", members.member_list, name="settings_members"),
    path("members/<int:pk>/role/", members.member_role, name="settings_member_role"),
    path("members/<int:pk>/remove/", members.member_remove, name="settings_member_remove"),
    # The lists as CSV (`execgap.web.export`), filtered as the page is.
    path("teams.csv", csv_view(exports.TEAMS), name="settings_teams_csv"),
    path("people.csv", csv_view(exports.PEOPLE), name="settings_people_csv"),
    path("members.csv", csv_view(exports.MEMBERS), name="settings_members_csv"),
]
