"""Optimistic locking as HTTP knows it: an ETag from an object's version, and If-Match.

A target's or an actual's ETag is its `version` in quotes (`"3"`). A client that sends
`If-Match: "3"` with PUT, PATCH or DELETE changes the object only if it is still at
version 3; otherwise the answer is 412 Precondition Failed and nothing changes. The check is
made by the service on the locked row, so two editors racing cannot both pass it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from tracker.rest.input import is_whole_number

IF_MATCH = "If-Match"

IF_MATCH_PARAMETER = OpenApiParameter(
    IF_MATCH,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description='Change only if the object still has this ETag (its version, e.g. "3"); '
    "otherwise 412 and nothing changes.",
)
ETAG_PARAMETER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    description='The object\'s version in quotes (e.g. "3"); send it back in If-Match.',
)


class PreconditionFailed(exceptions.APIException):
    """The object is not at the version the client's If-Match named."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _("The object was changed since you read it.")


def etag(version: int) -> str:
    """The ETag of an object at this version."""
    return f'"{version}"'


def if_match_versions(request) -> frozenset[int] | None:
    """The versions a request's If-Match allows; None without the header or with `*`.

    Only strong tags of our form ("3") name a version; a weak tag (W/"3") never matches for
    If-Match (RFC 9110 compares strongly), nor does anything else.
    """
    header = request.headers.get(IF_MATCH)
    if header is None or header.strip() == "*":
        return None
    versions = set()
    for tag in header.split(","):
        tag = tag.strip()
        if len(tag) >= 2 and tag[0] == tag[-1] == '"' and is_whole_number(tag[1:-1]):
            versions.add(int(tag[1:-1]))
    return frozenset(versions)
