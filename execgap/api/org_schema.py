"""How the organization-scoped endpoints appear in the OpenAPI schema (`/api/v1/schema/`).

The path parameters (`{org}` is a slug, `{id}` a row id), `If-Match` and `ETag`, and the error
shapes that `execgap.api.exceptions` answers with, so that each operation documents exactly what
it may return.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers

from execgap.text import with_article

ORG_PARAMETER = OpenApiParameter(
    "org",
    {"type": "string", "pattern": r"^[-\w]+$"},
    OpenApiParameter.PATH,
    description="The organization's slug.",
)
ID_PARAMETER = OpenApiParameter(
    "id", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH, description="The row's id."
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=(
        'The row\'s `version` as last read (its `ETag`, such as `"3"`). When the row has changed '
        "since, nothing is written and the answer is 412. Without it (or with `*`) the write is "
        "unconditional."
    ),
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    description="The row's `version`, quoted: send it back as `If-Match`.",
    response=[200, 201],
)


@extend_schema_serializer(component_name="ErrorDetail")
class ErrorDetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="What went wrong, in words.")


@extend_schema_serializer(component_name="StaleVersionError")
class StaleVersionErrorSerializer(ErrorDetailSerializer):
    current_version = serializers.IntegerField(help_text="The row's version now: read it again.")


class CascadeRowsSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="The rows' kind, such as `key_results` or `check_ins`.")
    noun = serializers.CharField(help_text="One of them in words, such as `key result`.")
    count = serializers.IntegerField(help_text="How many would be deleted.")
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="The first 50 of their ids.")


@extend_schema_serializer(component_name="CascadeRequired")
class CascadeRequiredSerializer(ErrorDetailSerializer):
    cascade = CascadeRowsSerializer(many=True, help_text="What the deletion would take with it, by kind.")


CASCADE_PARAMETER = OpenApiParameter(
    "cascade",
    bool,
    OpenApiParameter.QUERY,
    description=(
        "true: also delete what goes with the row (its key results, check-ins, feedback, "
        "allocations). Without it, a row that has any is not deleted: the answer is 409, listing them."
    ),
)


FIELD_ERRORS: dict[str, Any] = {
    "type": "object",
    "description": (
        "Field name → its messages (`non_field_errors` for errors across fields); a request that "
        "could not be read at all gets `detail`. A list field's messages are by position (such as "
        '`{"tasks": {"2": ["..."]}}`).'
    ),
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        ]
    },
}

ERRORS: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(FIELD_ERRORS, description="Bad input, field by field; nothing was written."),
    401: OpenApiResponse(ErrorDetailSerializer, description="No valid token or session."),
    403: OpenApiResponse(ErrorDetailSerializer, description="The caller's role may not do this."),
    404: OpenApiResponse(
        ErrorDetailSerializer,
        description="No such organization for the caller, or no such row in it.",
    ),
    412: OpenApiResponse(
        StaleVersionErrorSerializer,
        description="`If-Match` names a version that is no longer current; nothing was written.",
    ),
    409: OpenApiResponse(
        CascadeRequiredSerializer,
        description="The deletion would take other rows with it (listed): send `?cascade=true` to "
        "confirm; nothing was deleted.",
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


def org_rows_schema(
    serializer: type[serializers.BaseSerializer[Any]],
    *,
    tag: str,
    noun: str,
    plural: str,
    who_writes: str,
    operations: tuple[str, ...] = ("list", "retrieve", "create", "update", "partial_update", "destroy"),
    cascades: bool = False,
) -> dict[str, Any]:
    """`extend_schema` per viewset action, for `extend_schema_view(**org_rows_schema(...))`.

    `who_writes` says which roles may write (every member of the organization reads); `cascades`:
    a deletion that would take other rows with it needs `?cascade=true` (else 409).
    """
    row = [ORG_PARAMETER, ID_PARAMETER]
    every: dict[str, Any] = {
        "list": extend_schema(
            tags=[tag],
            summary=f"List the {plural}",
            description=f"The organization's {plural}, by id, a page at a time (follow `next`).",
            parameters=[ORG_PARAMETER],
            responses={200: serializer, **errors(400, 401, 404)},
        ),
        "retrieve": extend_schema(
            tags=[tag],
            summary=f"Read {with_article(noun)}",
            parameters=[*row, ETAG_HEADER],
            responses={200: serializer, **errors(401, 404)},
        ),
        "create": extend_schema(
            tags=[tag],
            summary=f"Create {with_article(noun)}",
            description=who_writes,
            parameters=[ORG_PARAMETER, ETAG_HEADER],
            request=serializer,
            responses={201: serializer, **errors(400, 401, 403, 404)},
        ),
        "update": extend_schema(
            tags=[tag],
            summary=f"Replace {with_article(noun)}",
            description=who_writes,
            parameters=[*row, IF_MATCH_PARAMETER, ETAG_HEADER],
            request=serializer,
            responses={200: serializer, **errors(400, 401, 403, 404, 412)},
        ),
        "partial_update": extend_schema(
            tags=[tag],
            summary=f"Change some fields of {with_article(noun)}",
            description=who_writes,
            parameters=[*row, IF_MATCH_PARAMETER, ETAG_HEADER],
            request=serializer,
            responses={200: serializer, **errors(400, 401, 403, 404, 412)},
        ),
        "destroy": extend_schema(
            tags=[tag],
            summary=f"Delete {with_article(noun)}",
            description=who_writes,
            parameters=[*row, IF_MATCH_PARAMETER, *([CASCADE_PARAMETER] if cascades else [])],
            responses={204: None, **errors(400, 401, 403, 404, *((409,) if cascades else ()), 412)},
        ),
    }
    return {name: every[name] for name in operations}
