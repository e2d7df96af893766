"""How authentication and refusals by rate appear in the OpenAPI schema (`/api/v1/schema/`).

- `tokenAuth`: a personal API token in the `Authorization` header, `Token <token>` (knox's
  TokenAuthentication; this replaces drf-spectacular's bundled description with ExecGap's words).
- `TOO_MANY_REQUESTS`: the 429 that the throttles (and the sign-in lockout) answer with.

drf-spectacular finds the extension when this module is imported: the account endpoints import it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    priority = 1  # wins over drf-spectacular's bundled knox extension

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A personal API token: `Authorization: Token <token>`. Get one with "
                "`POST /api/v1/auth/token/` (username and password) or `POST /api/v1/tokens/`; it acts "
                "with its user's roles in each of their organizations until it expires or is revoked."
            ),
        }


RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After",
    int,
    OpenApiParameter.HEADER,
    description="Seconds to wait before trying again.",
    response=[429],
)

TOO_MANY_REQUESTS_DESCRIPTION = (
    "Too many requests in too short a time (the rates are set per deployment); wait for "
    "`Retry-After` seconds."
)


def too_many_requests(serializer: Any, description: str = TOO_MANY_REQUESTS_DESCRIPTION) -> OpenApiResponse:
    """The 429 response, with `serializer` as its body (the API's `{"detail": ...}` error shape)."""
    return OpenApiResponse(serializer, description=description)


def document_throttling(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: every operation may answer 429 (every endpoint is
    throttled), so each one that does not say so yet gets the 429 response with `Retry-After`.

    Listed in SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] after drf-spectacular's enum hook.
    """
    error = {"$ref": "#/components/schemas/ErrorDetail"}
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "ErrorDetail",
        {
            "type": "object",
            "properties": {"detail": {"type": "string", "description": "What went wrong, in words."}},
            "required": ["detail"],
        },
    )
    answer = {
        "description": TOO_MANY_REQUESTS_DESCRIPTION,
        "headers": {
            "Retry-After": {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before trying again.",
            }
        },
        "content": {"application/json": {"schema": error}},
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in {"get", "put", "post", "patch", "delete", "head", "options", "trace"}:
                operation.setdefault("responses", {}).setdefault("429", answer)
    return result
