"""REST framework and the OpenAPI schema."""

from tracker.settings.environment import env

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.rest.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.rest.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "tracker.rest.query.KnownParametersFilter",
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "tracker.rest.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON bodies only: a form carries every value as text, so "123" sent for a text field
    # and 123 sent for a number are the same bytes and the schema's types cannot hold.
    # Report uploads (documents) take forms and files on their own view.
    "DEFAULT_PARSER_CLASSES": ["tracker.rest.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "tracker.rest.pagination.StandardPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=100),
    "DEFAULT_SCHEMA_CLASS": "tracker.rest.schema.ErrorDocumentingAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's, counting in the process's memory while the shared cache is down.
        "tracker.rest.throttling.AnonRateThrottle",
        "tracker.rest.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="6000/min"),
        # Password attempts at /api/v1/auth/token/, per address.
        "auth": env.str("API_THROTTLE_AUTH", default="10/min"),
    },
    "EXCEPTION_HANDLER": "tracker.rest.errors.exception_handler",
    # OPTIONS describes a view's input serializer, not the answer's fields.
    "DEFAULT_METADATA_CLASS": "tracker.rest.metadata.InputMetadata",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Target-versus-actual tracker API",
    "DESCRIPTION": (
        "What governments promised (targets), what they later reported (actuals), and "
        "whether each promise was met. Authenticate with `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No "valid" badge fetched from validator.swagger.io: the docs work offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStateEnum": "tracker.models.ReviewState",
        "MeasureEnum": "tracker.models.Measure",
        "ComparatorEnum": "tracker.models.Comparator",
        "UnitEnum": "indicators.models.Unit",
        "IngestStatusEnum": "ingest.models.IngestStatus",
        "AttainmentRowStatusEnum": "tracker.attainment.models.Status",
        "DocumentClaimStatusEnum": "ingest.models.ClaimStatus",
        "WebhookEventEnum": "tracker.webhooks.models.Event",
        "WebhookDeliveryStatusEnum": "tracker.webhooks.models.DeliveryStatus",
    },
}
