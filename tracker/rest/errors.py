"""One JSON shape for every API error: {"code", "message", "fields"}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.rest.conditional import PreconditionFailed

API_PREFIX = "/api/"
NO_SUCH_ENDPOINT = _("No such endpoint or object; see /api/v1/docs/ for the endpoints.")
SERVER_ERROR = _("The server failed to answer this request; the error has been logged.")


class Conflict(exceptions.APIException):
    """Someone else changed the object since the client read it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("The object was changed by someone else.")


def _first_message(fields: Any) -> str:
    if isinstance(fields, dict):
        for name, value in fields.items():
            message = _first_message(value)
            if message:
                return message if name in ("non_field_errors", "__all__") else f"{name}: {message}"
    if isinstance(fields, list) and fields:
        return _first_message(fields[0])
    return str(fields) if fields else ""


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """Turn DRF and service errors into {"code", "message", "fields"} responses."""
    # DRF's own handler converts these too, but after we read the code: convert first so a
    # missing object answers {"code": "not_found"} rather than {"code": "error"}.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        # Raised while the body is parsed; outside DRF Django would answer an HTML 400.
        exc = exceptions.ValidationError(str(exc), code="too_large")
    if isinstance(exc, ProtectedError):
        exc = Conflict(
            "Still in use by other records (targets, actuals, documents or child "
            "jurisdictions); remove those first."
        )
    if isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; a version conflict is a 409, not a 400.
        if hasattr(exc, "error_dict"):
            codes = {e.code for errors in exc.error_dict.values() for e in errors}
        else:
            codes = {e.code for e in exc.error_list}
        detail = as_serializer_error(exc)
        if "precondition_failed" in codes:  # If-Match named another version
            exc = PreconditionFailed(_first_message(detail))
        elif "conflict" in codes:
            exc = Conflict(detail)
        else:
            exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        message = _first_message(fields) or "Invalid input."
        response.data = {"code": "invalid", "message": message, "fields": fields}
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if isinstance(data, dict) and "detail" in data:
            message = str(data["detail"])
            fields = {k: v for k, v in data.items() if k != "detail"}
        else:
            message, fields = _first_message(data), data
        response.data = {
            "code": code if isinstance(code, str) else getattr(exc, "default_code", "error"),
            "message": message,
            "fields": fields if isinstance(fields, dict) else {},
        }
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 handler: the JSON error shape under /api/, the plain page elsewhere."""
    if request.path.startswith(API_PREFIX):
        body = {"code": "not_found", "message": NO_SUCH_ENDPOINT, "fields": {}}
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler: the JSON error shape under /api/, the plain page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"code": "error", "message": SERVER_ERROR, "fields": {}}, status=500)
    return defaults.server_error(request)
