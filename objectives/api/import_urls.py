"""/api/v1/orgs/{org}/imports/tasks/."""

from django.urls import re_path

from objectives.api.imports import TaskImportView

urlpatterns = [
    re_path(r"^orgs/(?P<org>[-\w]+)/imports/tasks/$", TaskImportView.as_view(), name="tasks-import"),
]
