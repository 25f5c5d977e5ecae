"""Django itself: applications, middleware, database, security, caches and logging."""

from tracker.settings.environment import BASE_DIR, env

MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set: set it to 50+ random characters (production), "
    "or set DJANGO_DEBUG=true or DJANGO_ALLOW_INSECURE_KEY=true (development only)."
)

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
    "tracker.attainment",
    "tracker.bench",
    "tracker.webhooks",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese unless the request asks otherwise (Accept-Language, the language cookie that
    # /i18n/setlang/ sets, or ?lang=en on any page or API call).
    "django.middleware.locale.LocaleMiddleware",
    "tracker.i18n.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL in a query string: a 400 before any view reads it (tracker/rest/input.py).
    "tracker.rest.input.NulInQueryMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections outlive a request (a new PostgreSQL connection per request cost more than the
# page's own queries); each is checked before reuse, so a restarted server costs no error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Planner settings of every PostgreSQL connection (libpq options), also given to a bench
# database on a PostgreSQL server (tracker/bench/database.py):
# - JIT off: the reads are short indexed queries, and compiling a summary's aggregate costs
#   more than it saves;
# - random_page_cost 1.1, as PostgreSQL's docs suggest for data in memory or on SSD (the
#   default, 4, prices a random read as a disk seek): with 4, a page of 100 evaluations read
#   every target to hash-join a hundred of them rather than look them up by key.
planner_settings = [f"random_page_cost={env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}"]
if not env.bool("DATABASE_JIT", default=False):
    planner_settings.append("jit=off")
POSTGRESQL_OPTIONS = {"options": " ".join(f"-c {setting}" for setting in planner_settings)}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRESQL_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: pages, admin and the API's messages; English on request (docs/auditor.md).
# Stable codes (statuses such as `met`, units, comparators) are never translated.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
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
CACHES = {
    "default": env.cache("DJANGO_CACHE_URL", default="locmemcache://"),
    # Counts of the attainment lists, kept per version of the stored evaluations (which
    # every request reads anyway): in each process's memory, so a shared cache's outage or
    # latency never reaches a page.
    "evaluation_counts": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "evaluation-counts",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Throttle counters while the shared cache is down or hung (tracker/rest/throttling.py).
    "throttle_local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle-local",
    },
}
# A shared cache that stopped answering must not hold a request: each call gives up after
# this many seconds, and the throttles then skip it for THROTTLE_SHARED_CACHE_RETRY_SECONDS.
CACHE_SOCKET_TIMEOUT = env.float("DJANGO_CACHE_SOCKET_TIMEOUT", default=0.5)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=CACHE_SOCKET_TIMEOUT, socket_timeout=CACHE_SOCKET_TIMEOUT
    )
THROTTLE_SHARED_CACHE_RETRY_SECONDS = env.float("THROTTLE_SHARED_CACHE_RETRY_SECONDS", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.str("DJANGO_LOG_LEVEL", default="WARNING"),
    },
}
