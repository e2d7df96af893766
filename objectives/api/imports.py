"""/api/v1/orgs/{org}/imports/tasks/: import tasks from a Jira CSV export or a JSON list.

A thin view over `objectives.imports`: it reads the body (a multipart `file`, a `text/csv` body, or
JSON), checks the options, and either answers the import's report at once (up to ASYNC_ROWS rows)
or queues a job and answers 202 with its id. Leads, executives and admins import; the service
checks the role again, and each row as a task the caller may create or change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from execgap.api.base import OrgScopedMixin, RolePermission
from execgap.api.exceptions import exception_handler
from execgap.api.org_schema import FIELD_ERRORS, ORG_PARAMETER, errors
from execgap.api.parsers import BoundedJSONParser
from execgap.roles import Resource
from objectives.imports.options import GOAL_KINDS, import_options
from objectives.imports.planning import MANAGED
from objectives.imports.report import ACTIONS
from objectives.imports.rows import (
    MAX_BYTES,
    SOURCE_KINDS,
    ImportRows,
    read_jira_csv,
    read_json_rows,
    read_upload,
)
from objectives.imports.services import ASYNC_ROWS, tasks_import
from objectives.imports.tasks import tasks_import_job_request
from objectives.models import TaskStatus

OPTIONS = (
    "dry_run", "all_or_nothing", "skip_errors", "status_map", "link_map", "team", "base_url", "timezone",
)  # fmt: skip
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class CsvBody(dict[str, bytes]):
    """A `text/csv` body (a mapping, as parsers answer; told from JSON by its type)."""


class CsvBodyParser(BaseParser):
    """A `text/csv` body, kept as bytes for `read_jira_csv` (which decodes and checks it)."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> CsvBody:
        content = stream.read(MAX_BYTES + 1) if stream is not None else b""
        if len(content) > MAX_BYTES:
            raise ValidationError({"file": f"The file is larger than {MAX_BYTES // 2**20} MB: split it."})
        return CsvBody(content=content)


# --- the schema's shapes ---------------------------------------------------------------------------

_STATUS_MAP_HELP = (
    "Status name → task status, as JSON, over the statuses of Jira's default workflows (Software, "
    'Kanban, Service Management: "To Do", "Backlog", "Selected for Development", "Open", "Reopened", '
    '"Waiting for support" → todo; "In Progress", "In Review", "Code Review", "Escalated" → '
    'in_progress; "Blocked", "Pending", "Waiting for customer" → blocked; "Done", "Closed", '
    '"Resolved" → done; "Won\'t Do", "Canceled", "Declined" → cancelled; GitHub\'s OPEN → todo, '
    'CLOSED → done) and the team\'s remembered mapping. Example: {"QA": "in_progress"}. The '
    "report's `to_map.statuses` lists the file's statuses, the unknown ones first."
)
_LINK_MAP_HELP = (
    "An epic or parent (its Issue key or Issue id), a parent's title, a GitHub milestone or label → "
    '{"initiative": id} or {"objective": id}, as JSON, over the team\'s remembered mapping. '
    'Example: {"SHOP-1": {"initiative": 7}}. The report\'s `to_map.parents` lists what the rows name, '
    "those linked to no goal first."
)
_OPTION_TYPES = {
    "dry_run": OpenApiTypes.BOOL, "all_or_nothing": OpenApiTypes.BOOL, "skip_errors": OpenApiTypes.BOOL,
    "team": OpenApiTypes.INT,
}  # fmt: skip
_OPTION_HELP = {
    "dry_run": "true (the default): only report what the import would do; false: commit it.",
    "all_or_nothing": "With dry_run=false: a bad row stops the whole commit and nothing is written "
    "(default false: every good row is committed and the bad ones are reported).",
    "skip_errors": "The opposite of all_or_nothing, still understood: false is all or nothing.",
    "status_map": _STATUS_MAP_HELP,
    "link_map": _LINK_MAP_HELP,
    "team": "The id of a team that every imported task then belongs to. The team's remembered mapping "
    "applies, and a commit remembers the status_map and link_map given.",
    "base_url": "The Jira site (https://acme.atlassian.net): each task's external_url is "
    "<base_url>/browse/<Issue key> (or base_url with {key} replaced).",
    "timezone": "The time zone of the export's dates and times, which Jira writes with no offset, "
    "such as Europe/Paris (default UTC).",
}


class TaskImportRowSerializer(serializers.Serializer[Any]):
    """A task of a JSON import: the task fields of the API; a field left out is left as it is."""

    external_key = serializers.CharField(max_length=100, help_text="Required: how a re-import finds it.")
    title = serializers.CharField(max_length=500, required=False, allow_null=True)
    status = serializers.CharField(
        required=False, help_text="A task status, or a name the status map knows (see `status_map`)."
    )
    initiative = serializers.IntegerField(required=False, allow_null=True)
    objective = serializers.IntegerField(required=False, allow_null=True)
    team = serializers.IntegerField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True, help_text="A person's id.")
    effort_hours = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    completed_at = serializers.DateTimeField(required=False, allow_null=True)
    external_url = serializers.CharField(max_length=500, required=False, allow_null=True)


class TaskImportJsonSerializer(serializers.Serializer[Any]):
    """A JSON import with its options in the body (they may also be query parameters)."""

    tasks = TaskImportRowSerializer(many=True)
    dry_run = serializers.BooleanField(required=False, default=True, help_text=_OPTION_HELP["dry_run"])
    all_or_nothing = serializers.BooleanField(required=False, help_text=_OPTION_HELP["all_or_nothing"])
    skip_errors = serializers.BooleanField(required=False, help_text=_OPTION_HELP["skip_errors"])
    status_map = serializers.DictField(
        child=serializers.CharField(), required=False, help_text=_STATUS_MAP_HELP
    )
    link_map = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        required=False,
        help_text=_LINK_MAP_HELP,
    )
    team = serializers.IntegerField(required=False, allow_null=True, help_text=_OPTION_HELP["team"])
    base_url = serializers.CharField(required=False, allow_blank=True, help_text=_OPTION_HELP["base_url"])
    timezone = serializers.CharField(required=False, help_text=_OPTION_HELP["timezone"])


class TaskImportUploadSerializer(serializers.Serializer[Any]):
    """A file upload: a Jira CSV export (or a JSON list of tasks), with the options as form fields."""

    file = serializers.FileField(
        help_text="The Jira CSV export (UTF-8), or a .json file with a list of tasks."
    )
    dry_run = serializers.BooleanField(required=False, default=True, help_text=_OPTION_HELP["dry_run"])
    all_or_nothing = serializers.BooleanField(required=False, help_text=_OPTION_HELP["all_or_nothing"])
    skip_errors = serializers.BooleanField(required=False, help_text=_OPTION_HELP["skip_errors"])
    status_map = serializers.CharField(required=False, help_text=_STATUS_MAP_HELP)
    link_map = serializers.CharField(required=False, help_text=_LINK_MAP_HELP)
    team = serializers.IntegerField(required=False, help_text=_OPTION_HELP["team"])
    base_url = serializers.CharField(required=False, allow_blank=True, help_text=_OPTION_HELP["base_url"])
    timezone = serializers.CharField(required=False, help_text=_OPTION_HELP["timezone"])


class TaskImportIssueSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text="The row: a spreadsheet's row number (the header is row 1), or "
                                   "the task's position in the JSON list (from 1).")  # fmt: skip
    column = serializers.CharField(
        allow_null=True,
        help_text="The column (JSON: the field, or an option) it is about; null: the whole row.",
    )
    message = serializers.CharField()


class TaskImportLinkSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=GOAL_KINDS)
    id = serializers.IntegerField()
    title = serializers.CharField()


class TaskImportRowReportSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    external_key = serializers.CharField(allow_blank=True)
    task = serializers.IntegerField(
        allow_null=True, help_text="The task's id (null for a task a dry run would create, or a bad row)."
    )
    link = TaskImportLinkSerializer(allow_null=True, help_text="The goal the task links to, once imported.")
    changes = serializers.ListField(
        child=serializers.ChoiceField(choices=MANAGED), help_text="The fields an update changes."
    )
    warnings = TaskImportIssueSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `action` and `errors` are names a serializer class keeps for itself.
        fields = super().get_fields()
        fields["action"] = serializers.ChoiceField(
            choices=ACTIONS, help_text="What the row does (a dry run: will do); `error`: it is not imported."
        )
        fields["errors"] = TaskImportIssueSerializer(many=True)
        return fields


class TaskImportSummarySerializer(serializers.Serializer[Any]):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    goal = serializers.IntegerField(help_text="Rows of epics or parents that stand for a goal (no task).")
    error = serializers.IntegerField(help_text="Rows with errors.")
    linked = serializers.IntegerField(help_text="Rows whose task links to a goal.")
    warnings = serializers.IntegerField()


class TaskImportStatusSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The status as the file writes it.")
    status = serializers.ChoiceField(
        choices=TaskStatus.values, allow_null=True, help_text="The task status it maps to (null: unknown)."
    )
    rows = serializers.IntegerField()


class TaskImportParentSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=("parent", "title", "milestone", "label"),
        help_text="parent: an issue the rows name by id or key; title: a parent named only by its title.",
    )
    refs = serializers.ListField(
        child=serializers.CharField(), help_text="The names a link_map maps it by (an Issue key and id)."
    )
    rows = serializers.IntegerField(help_text="How many rows name it.")
    goal = TaskImportLinkSerializer(allow_null=True, help_text="The goal it gives now (null: none).")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["label"] = serializers.CharField(help_text="How a page names it.")  # a name Field keeps
        return fields


class TaskImportToMapSerializer(serializers.Serializer[Any]):
    statuses = TaskImportStatusSerializer(many=True)
    parents = TaskImportParentSerializer(many=True)


class TaskImportReportSerializer(serializers.Serializer[Any]):
    dry_run = serializers.BooleanField()
    committed = serializers.BooleanField(
        help_text="Whether the import was committed (false: a dry run, or a bad row stopped it and nothing "
        "was written)."
    )
    all_or_nothing = serializers.BooleanField()
    skip_errors = serializers.BooleanField(help_text="The opposite of all_or_nothing.")
    summary = TaskImportSummarySerializer()
    ignored_columns = serializers.ListField(
        child=serializers.CharField(),
        help_text="The file's columns that ExecGap keeps nowhere (Labels, ...).",
    )
    to_map = TaskImportToMapSerializer(help_text="What a lead may map: the statuses and the parents.")
    rows = TaskImportRowReportSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = {"source": serializers.ChoiceField(choices=SOURCE_KINDS)}  # a name Field keeps
        return fields | super().get_fields()


class TaskImportAcceptedSerializer(serializers.Serializer[Any]):
    job = serializers.IntegerField(help_text="Poll it at `jobs/{id}/`: its result is the report.")


# The report's component is registered by the 200 answer.
_REFUSED = {"oneOf": [{"$ref": "#/components/schemas/TaskImportReport"}, FIELD_ERRORS]}


class TaskImportView(OrgScopedMixin, APIView):
    resource = Resource.TASK_IMPORT
    permission_classes = [permissions.IsAuthenticated, RolePermission]
    parser_classes = [BoundedJSONParser.sized(MAX_BYTES), MultiPartParser, CsvBodyParser]

    def get_exception_handler(self) -> Callable[..., Any]:
        return exception_handler

    @extend_schema(
        tags=["imports"],
        operation_id="tasks_import",
        summary="Import tasks (Jira CSV, GitHub Issues or JSON)",
        description=(
            "Leads, executives and admins. Send a Jira CSV export as Jira writes it (a multipart "
            "`file`, or a `text/csv` body), a GitHub Issues export (`gh issue list --json number,title,"
            "body,state,labels,milestone,assignees,url,createdAt,closedAt`) or a JSON list of tasks (or "
            "an object with `tasks` and the options). By default a dry run: the report says per row "
            "what will be created, updated or left unchanged (matched by `external_key`: Jira's Issue "
            "key, or GitHub's owner/repo#number), which goal each task will link to, and every bad "
            "row's errors by row and column. The goal: the parent found by id or key first (Parent, "
            "Parent id, Epic Link, against the file's Issue id and Issue key), an epic or parent that a "
            "goal is titled like or that `link_map` maps standing for that goal (its row is no task: "
            "action `goal`), the parent's title (Parent summary, a milestone, a label) only as a "
            "fallback; a parent linked to no goal is a warning naming what to map, never an error. "
            "With `dry_run=false` it commits every good row (200 with the report, the bad rows in it); "
            "with `all_or_nothing=true` a bad row stops the commit: 400 with the report, nothing "
            "written. Importing the same file again changes nothing. "
            f"More than {ASYNC_ROWS} rows run as a job: 202 with its id (also in `Location`); its "
            "result is the report. Jira columns read: Issue key, Summary, Status, Assignee (a person "
            "by name or email; none found: a warning, left as it is), Original Estimate (seconds), "
            "Parent, Parent id, Parent Link, Epic Link, Parent summary, Issue Type, Resolved (the "
            "completion of a done task), Due Date, Issue id; the others (Labels, Sprint, ...) are "
            "ignored and listed in `ignored_columns`."
        ),
        parameters=[
            ORG_PARAMETER,
            *(
                OpenApiParameter(
                    name, _OPTION_TYPES.get(name, OpenApiTypes.STR), description=_OPTION_HELP[name]
                )
                for name in OPTIONS
            ),
        ],
        request={
            "multipart/form-data": TaskImportUploadSerializer,
            "text/csv": {"type": "string", "description": "The Jira CSV export itself (UTF-8)."},
            # A bare list of tasks is read too (the description says so); the schema offers the object
            # alone, which a generated client can tell from its other bodies.
            "application/json": TaskImportJsonSerializer,
        },
        responses={
            200: OpenApiResponse(
                TaskImportReportSerializer, description="The report (a dry run, or committed)."
            ),
            202: OpenApiResponse(TaskImportAcceptedSerializer, description="A large file: queued as a job."),
            400: OpenApiResponse(
                _REFUSED,
                description="A commit with bad rows (the report; nothing was written), or input that "
                "could not be read (field by field).",
            ),
            **errors(401, 403, 404),
        },
    )
    def post(self, request: Request, org: str) -> Response:
        rows, given = _read(request)
        dry_run = bool(_flag(given, "dry_run", default=True))
        options = import_options(
            status_map=given.get("status_map"),
            link_map=given.get("link_map"),
            team=given.get("team"),
            base_url=given.get("base_url"),
            timezone=given.get("timezone"),
            all_or_nothing=_flag(given, "all_or_nothing", default=None),
            skip_errors=_flag(given, "skip_errors", default=None),
        )
        if len(rows) > ASYNC_ROWS:
            job = tasks_import_job_request(actor=self.membership, rows=rows, dry_run=dry_run, options=options)
            location = reverse("job-detail", kwargs={"org": org, "pk": job.pk})
            return Response({"job": job.pk}, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
        report = tasks_import(actor=self.membership, rows=rows, dry_run=dry_run, options=options)
        refused = not dry_run and not report.committed
        return Response(
            report.as_json(), status=status.HTTP_400_BAD_REQUEST if refused else status.HTTP_200_OK
        )


def _read(request: Request) -> tuple[ImportRows, Mapping[str, Any]]:
    """The rows and the options (query parameters, overridden by form fields or JSON keys)."""
    given: dict[str, Any] = {
        name: request.query_params[name] for name in OPTIONS if name in request.query_params
    }
    data = request.data
    if isinstance(data, CsvBody):
        return read_jira_csv(data["content"]), given
    if isinstance(data, list):
        return read_json_rows(data), given
    if request.content_type.startswith("multipart/form-data"):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": "Attach the Jira CSV export (or a JSON list of tasks) as `file`."})
        if upload.size is not None and upload.size > MAX_BYTES:
            raise ValidationError({"file": f"The file is larger than {MAX_BYTES // 2**20} MB: split it."})
        given |= {name: data[name] for name in OPTIONS if name in data}
        return read_upload(
            upload.read(), name=upload.name or "", content_type=upload.content_type or ""
        ), given
    if isinstance(data, Mapping) and "tasks" in data:
        given |= {name: data[name] for name in OPTIONS if name in data}
        return read_json_rows(data["tasks"]), given
    raise ValidationError(
        {"file": "Send a Jira CSV export (a multipart `file` or a text/csv body) or a JSON list of tasks."}
    )


def _flag(given: Mapping[str, Any], name: str, *, default: bool | None) -> bool | None:
    value = given.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValidationError({name: "Must be true or false."})
