"""Schema post-processing: every operation documents the error answers it can give."""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = {
    "type": "object",
    "description": "Every API error: a code, a readable message and the fields to blame.",
    "properties": {
        "code": {"type": "string", "description": "e.g. invalid, not_found, throttled"},
        "message": {"type": "string", "description": "The first problem, readable as it is."},
        "fields": {
            "type": "object",
            "additionalProperties": {},
            "description": "Each field (or non_field_errors) and its messages; {} if none.",
        },
    },
    "required": ["code", "message", "fields"],
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input, filter or upload",
    "401": "No token, or an unknown one",
    "403": "The role does not allow this",
    "404": "No such object or page",
    "409": "A stale version, or still in use by other records",
    "429": "Too many requests; Retry-After says how many seconds to wait",
}
CHANGE_METHODS = {"put", "patch", "delete"}


def _error_statuses(method: str, operation: dict[str, Any], view) -> list[str]:
    """The error statuses an operation can answer, from its shape and its view."""
    statuses = []
    if {} not in operation.get("security", [{}]):
        statuses += ["401", "403"]  # needs a user (and a role)
    if view is not None and view.get_throttles():
        statuses.append("429")
    parameters = operation.get("parameters", [])
    locations = {p.get("in") for p in parameters}
    if "query" in locations or "requestBody" in operation:
        statuses.append("400")
    if "path" in locations or any(p.get("name") == "page" for p in parameters):
        statuses.append("404")
    if method in CHANGE_METHODS and "path" in locations:
        statuses.append("409")
    return sorted(statuses)


def add_error_responses(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """drf-spectacular post-processing hook: declare the {code, message, fields} errors."""
    # The generator's (path, method, view) list; the throttles are read from the views.
    endpoints = generator._get_paths_and_endpoints()
    views = {(path, method.lower()): view for path, _, method, view in endpoints}
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    reference = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            view = views.get((path, method))
            for code in _error_statuses(method, operation, view):
                responses.setdefault(
                    code,
                    {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
