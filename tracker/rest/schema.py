"""The API's schema class: every operation documents the error answers it can give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

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
    "412": "If-Match named another version than the object's (its ETag)",
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
    if any(p.get("in") == "header" and p.get("name") == "If-Match" for p in parameters):
        statuses.append("412")
    return sorted(statuses)


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's operation of a view, with the {code, message, fields} errors it gives."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:  # excluded from the schema
            return None
        error = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_COMPONENT
        )
        registry.register_on_missing(error)
        responses = operation.setdefault("responses", {})
        for code in _error_statuses(method.lower(), operation, self.view):
            responses.setdefault(
                code,
                {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": error.ref}},
                },
            )
        return operation
