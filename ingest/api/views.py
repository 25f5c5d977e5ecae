"""API of source documents: submit a report, follow its ingest, re-extract it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ingest import selectors, services, uploads
from ingest.api.serializers import (
    DocumentDetailSerializer,
    DocumentReextractSerializer,
    DocumentSerializer,
    DocumentSubmitSerializer,
)
from ingest.filters import DocumentFilter
from tracker.rest.parsers import BoundedJSONParser, CheckedFormParser, CheckedMultiPartParser
from tracker.rest.permissions import Role, user_role

UNSUPPORTED_MEDIA = (
    "Unsupported content type {media_type!r}: send JSON (application/json) with `text`, "
    "or a form upload (multipart/form-data) with `file`."
)


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Report texts received by the tracker, their ingest status and what they yielded."""

    queryset = selectors.document_list()
    filterset_class = DocumentFilter
    ordering_fields = ["created_at", "published", "id"]
    parser_classes = [BoundedJSONParser, CheckedMultiPartParser, CheckedFormParser]
    # What a POST sends (OPTIONS describes it: tracker.rest.metadata).
    input_serializer_class = DocumentSubmitSerializer

    @property
    def json_body_limit(self) -> int:
        """A report's text may make a JSON body larger than other endpoints allow."""
        return uploads.body_allowance(settings.INGEST_MAX_UPLOAD_BYTES)

    def get_queryset(self):
        if self.action == "list":
            # Lists leave the (large) text out; a single document shows it and its facts.
            return selectors.document_list().defer("text")
        return selectors.document_detail_list()

    def get_serializer_class(self):
        return DocumentSerializer if self.action == "list" else DocumentDetailSerializer

    @extend_schema(
        request={
            "application/json": DocumentSubmitSerializer,
            "multipart/form-data": DocumentSubmitSerializer,
        },
        responses={
            202: OpenApiResponse(
                DocumentDetailSerializer,
                "Stored and queued for extraction. If the task queue is unavailable the "
                "document is still stored: `status` stays `queued`, `enqueued_at` is null and "
                "`error` says extraction is waiting; it is queued again once the queue is back.",
            ),
            200: OpenApiResponse(DocumentDetailSerializer, "The same text was already stored"),
        },
    )
    def create(self, request, *args, **kwargs):
        """Submit a report; answers 202 and the document's URL, or 200 for a known text."""
        # A body declared far over the limit is refused unread; a multipart file is counted
        # as it arrives (uploads.SizeLimitedUploadHandler).
        uploads.check_declared_length(request.META)
        try:
            data = request.data
        except exceptions.UnsupportedMediaType as exc:
            raise exceptions.ValidationError(
                UNSUPPORTED_MEDIA.format(media_type=request.content_type)
            ) from exc
        submit = DocumentSubmitSerializer(data=data)
        submit.is_valid(raise_exception=True)
        values = submit.validated_data
        upload = values.get("file")
        if upload is not None:
            text = services.document_text_from_file(upload=upload)
        else:
            text = values["text"]
        submission = services.document_submit(
            text=text,
            title=values.get("title", ""),
            jurisdiction=services.jurisdiction_resolve(
                value=values.get("jurisdiction"), may_propose=_may_propose(request)
            ),
            published=values.get("published"),
            filename=upload.name if upload else "",
            content_type=upload.content_type if upload else "",
            user=request.user,
        )
        return self._answer(
            submission.document, status.HTTP_202_ACCEPTED if submission.created else 200
        )

    @extend_schema(request=DocumentReextractSerializer, responses={202: DocumentDetailSerializer})
    @action(detail=True, methods=["post"])
    def reextract(self, request, *args, **kwargs):
        """Run the current extractor again; facts a person accepted or edited are kept."""
        options = DocumentReextractSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        place = options.validated_data.get("jurisdiction")
        document = services.document_reextract(
            document=self.get_object(),
            jurisdiction=services.jurisdiction_resolve(
                value=place, may_propose=_may_propose(request)
            )
            if place
            else None,
        )
        return self._answer(document, status.HTTP_202_ACCEPTED)

    def handle_exception(self, exc):
        # Form fields over Django's DATA_UPLOAD_MAX_MEMORY_SIZE: say it in terms of the
        # report limit (the API's error handler makes it a 400 either way).
        if isinstance(exc, RequestDataTooBig) and not isinstance(exc, uploads.UploadTooLarge):
            exc = uploads.UploadTooLarge(uploads.body_too_large_message(self.request.META))
        return super().handle_exception(exc)

    def _answer(self, document, code: int) -> Response:
        document = selectors.document_detail_list().get(pk=document.pk)
        body = DocumentDetailSerializer(document, context=self.get_serializer_context()).data
        # The serialized URL is DRF's Hyperlink, a str subclass that WSGI servers checking
        # header types strictly (runserver's wsgiref) refuse: hand them a plain str.
        return Response(body, status=code, headers={"Location": str(body["url"])})


def _may_propose(request) -> bool:
    """Only admins create jurisdictions, also by naming an unknown one with a document."""
    return user_role(request.user) == Role.ADMIN
