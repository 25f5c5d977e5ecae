"""Settings for the tracker.

Every deployment runs this one module; production differs only by environment variables
(see docs/operations.md). The embedded defaults need no server: SQLite in the repository and
Celery tasks run eagerly in the calling process.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set: set it to 50+ random characters (production), "
    "or set DJANGO_DEBUG=true or DJANGO_ALLOW_INSECURE_KEY=true (development only)."
)

env = environ.Env()
# A local .env file is convenient for development; the environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Secrets come only from the environment. Offline commands (extract, migrate, load_catalogue)
# sign nothing and run on the well-known development key; the web process, which signs
# sessions and CSRF tokens, refuses it (tracker/wsgi.py) unless someone asked for development
# (DJANGO_DEBUG or DJANGO_ALLOW_INSECURE_KEY), and `check --deploy` reports it.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or DEVELOPMENT_SECRET_KEY
INSECURE_KEY_ALLOWED = DEBUG or env.bool("DJANGO_ALLOW_INSECURE_KEY", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "indicators",
    "tracker",
    "ingest",
]

MIDDLEWARE = [
    "tracker.runtime.ReleaseViewMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, converting each statement's placeholders once (see there).
    DATABASES["default"]["ENGINE"] = "tracker.backends.sqlite3"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
# PostgreSQL's JIT compiler stays off: it costs the evaluation more than it saves (tracker/db.py).
DATABASE_JIT = env.bool("DATABASE_JIT", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))

# --- Security (hardened automatically when DEBUG is off; see docs/security.md) ----------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# The TLS-terminating proxy must set (and overwrite) this header; see docs/security.md.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Throttle counters live in the cache: with several web processes, point them at a shared one
# (redis://host:6379/2) or each process counts on its own.
CACHES = {"default": env.cache("DJANGO_CACHE_URL", default="locmemcache://")}

# --- REST framework ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.permissions.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "tracker.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "tracker.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "tracker.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.StandardPagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=100),
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.ErrorDocumentingAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="6000/min"),
        # Password attempts at /api/v1/auth/token/, per address.
        "auth": env.str("API_THROTTLE_AUTH", default="10/min"),
    },
    "EXCEPTION_HANDLER": "tracker.api.errors.exception_handler",
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
    },
}

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# Without a broker the tasks run in the calling process, so a newcomer needs no server.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
# Eager tasks never reach a broker; an in-memory one keeps Celery from guessing a server.
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that publishes a task must not hang on a dead broker: give up within seconds
# (the document stays queued and `requeue_documents` hands it over later).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task whose worker died is redelivered after this many seconds.
    "visibility_timeout": _VISIBILITY_TIMEOUT,
    # Workers look for such tasks this often; by default kombu looks only every ~100 s.
    "unacked_restore_interval": min(10, max(1, _VISIBILITY_TIMEOUT // 2)),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # Without it, a publish to a broker that vanished without closing the socket waits forever.
    "socket_timeout": max(10.0, CELERY_BROKER_CONNECTION_TIMEOUT),
}
# Documents still `processing` this long after their last change lost their task (the
# worker and the broker's copy of the message are gone); `requeue_documents` queues them again.
INGEST_REQUEUE_STALE_MINUTES = env.int("INGEST_REQUEUE_STALE_MINUTES", default=30)

# --- Tracker ---------------------------------------------------------------------------------
INGEST_MAX_UPLOAD_BYTES = env.int("INGEST_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# Facts extracted with at least this confidence (0..1) are accepted without review;
# unset, every extracted fact waits for review in admin.
INGEST_AUTO_ACCEPT_CONFIDENCE = env.float("INGEST_AUTO_ACCEPT_CONFIDENCE", default=None)
DATA_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_UPLOAD_BYTES + 1024 * 1024
# Files of a multipart request are counted as they arrive; past INGEST_MAX_UPLOAD_BYTES the
# upload is stopped before the rest is stored (ingest/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "ingest.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.str("DJANGO_LOG_LEVEL", default="WARNING"),
    },
}

# --- Attainment (evaluation rules; see docs/attainment.md) ------------------------------------
ATTAINMENT = {
    "EQ_TOLERANCE": env.float("ATTAINMENT_EQ_TOLERANCE", default=0.001),
    "APPROX_TOLERANCE": env.float("ATTAINMENT_APPROX_TOLERANCE", default=0.05),
    "CONSISTENCY_TOLERANCE_PP": env.float("ATTAINMENT_CONSISTENCY_TOLERANCE_PP", default=0.5),
    "PROGRESS_ON_TRACK": env.float("ATTAINMENT_PROGRESS_ON_TRACK", default=0.95),
    "PROGRESS_ACCELERATION": env.float("ATTAINMENT_PROGRESS_ACCELERATION", default=0.6),
    "PROGRESS_LIMITED": env.float("ATTAINMENT_PROGRESS_LIMITED", default=0.0),
    "EXPORT_CHUNK_SIZE": env.int("ATTAINMENT_EXPORT_CHUNK_SIZE", default=100),
}
# --- end Attainment ----------------------------------------------------------------------------
