"""Settings, read from the environment (docs/configuration.md lists every variable)."""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a long random string), "
            "or set DEBUG=1 for a local development run."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_NAME = os.environ.get("SITE_NAME", "parindex")
# The unit that runs the city's indices (Sở Nội vụ in Hà Nội's catalogue); docs/levels.md.
CITY_ORGANISER_CODE = os.environ.get("CITY_ORGANISER_CODE", "S01")

# The issuing body of the official documents (Decree 30/2020/NĐ-CP): read by core/letterhead.py only.
ORGANISATION_SUPERIOR = os.environ.get("ORGANISATION_SUPERIOR", "UBND THÀNH PHỐ HÀ NỘI")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "SỞ NỘI VỤ")
ORGANISATION_ABBREVIATION = os.environ.get("ORGANISATION_ABBREVIATION", "SNV")
ORGANISATION_PLACE = os.environ.get("ORGANISATION_PLACE", "Hà Nội")
REPORT_SIGNER_TITLE = os.environ.get("REPORT_SIGNER_TITLE", "GIÁM ĐỐC")
REPORT_SIGNER_NAME = os.environ.get("REPORT_SIGNER_NAME", "")
REPORT_RECIPIENTS = os.environ.get(
    "REPORT_RECIPIENTS",
    "Bộ Nội vụ (để báo cáo); Thường trực Thành ủy (để báo cáo); "
    "Thường trực HĐND Thành phố (để báo cáo); "
    "Chủ tịch, các Phó Chủ tịch UBND Thành phố (để báo cáo); "
    "Thành viên Hội đồng thẩm định Chỉ số CCHC; Các sở, ban, ngành; UBND các xã, phường",
)
REPORT_FILING = os.environ.get("REPORT_FILING", "Lưu: VT, CCHC")

# The organisation that runs the platform, in every page's header (and the official documents): its
# superior body, its name, its emblem (a static file path or an address) and its colour. The emblem
# shipped is a neutral one drawn for the project; a city puts its own beside the static files.
ORGANISATION_EMBLEM = os.environ.get("ORGANISATION_EMBLEM", "parindex/emblem.svg")
ORGANISATION_COLOUR = os.environ.get("ORGANISATION_COLOUR", "#0b4f8a")
if not re.fullmatch(r"#[0-9a-fA-F]{6}", ORGANISATION_COLOUR):
    raise ImproperlyConfigured(
        f"ORGANISATION_COLOUR must be a colour written #rrggbb, not {ORGANISATION_COLOUR!r}"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves its bundled Swagger UI for /api/v1/docs (no CDN)
    "parindex",
    "accounts",
    "units",
    "cycles",
    "frameworks",
    "assessments",
    "plans",
    "reporting",
    "surveys",
    "results",
    "public",
    "ops",
    "demo",
    "django_tasks",
    "django_tasks_db",
]

# Background work (DESIGN.md): recomputation and report generation run as tasks. Production keeps them in
# the database and runs `parindex worker`; tests and a quick look may run them in the request
# (TASKS_BACKEND=immediate).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {"BACKEND": TASKS_BACKENDS[os.environ.get("TASKS_BACKEND", "database")]},
}

MIDDLEWARE = [
    # The client's address behind the reverse proxy, before anything reads REMOTE_ADDR.
    "ops.middleware.ForwardedForMiddleware",
    "ops.observability.RequestMiddleware",  # request id, JSON access log, metrics
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The survey app's submissions, answered before what serves people (sessions, CSRF, login…).
    "surveys.api.SubmitResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ops.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # `Cache-Control: private, no-store` on what a signed-in user (or an API token) receives.
    "ops.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session expiry (absolute and idle), ended sessions, then two-factor login (accounts/middleware.py).
    "accounts.middleware.SessionSecurityMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a view's lost database connection becomes a 503 with Retry-After (ops/middleware.py).
    "ops.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

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
                "django.template.context_processors.i18n",
                "parindex.context_processors.site",
            ],
            # One formatter for numbers and dates in every template (core/formats.py, docs/ui.md).
            "builtins": ["core.templatetags.formats"],
        },
    },
]

DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'parindex.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ yet; SQLite creates the file, not its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A dropped connection (database restart, failover) is noticed before a request uses it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The survey intake's statements are prepared on the server (surveys/intake/sql.py); 0 behind a PgBouncer
# older than 1.21 in transaction mode, which cannot keep them.
DATABASE_PREPARED_STATEMENTS = envbool("DATABASE_PREPARED_STATEMENTS", True)
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and DATABASE_PREPARED_STATEMENTS
):
    # Django turns psycopg's statement preparation off; its own cursors bind on the client and never
    # prepare, so this lets only surveys/intake/sql.py's cursors prepare.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
# A PostgreSQL read replica for the public pages (docs/scaling.md): off unless DATABASE_REPLICA_URL is set.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=envint("DB_CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ops.db_router.PublicReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Password policy (docs/security.md): 12 characters or more, not like the user's details, not a common
# password, not all digits. accounts.validators words the first two in Vietnamese.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins: after LOGIN_FAILURE_LIMIT failures for one username (or from one address)
# within LOGIN_FAILURE_WINDOW_MINUTES, further attempts are refused until the window passes.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_MINUTES = envint("LOGIN_FAILURE_WINDOW_MINUTES", 15)
# Password-reset e-mails: at most PASSWORD_RESET_LIMIT_PER_EMAIL to one address, and
# PASSWORD_RESET_LIMIT_PER_ADDRESS requests from one client address, within the window.
PASSWORD_RESET_LIMIT_PER_EMAIL = envint("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = envint("PASSWORD_RESET_LIMIT_PER_ADDRESS", 10)
PASSWORD_RESET_WINDOW_MINUTES = envint("PASSWORD_RESET_WINDOW_MINUTES", 60)

# --- Staff security (accounts; docs/security.md) -------------------------------------------------------
# Two-factor login (TOTP): required for the secretariat, reviewers, council members and superusers,
# optional for everyone else. The session records which backend completed the login: only the two-step
# login view uses TwoStepBackend, so a session opened by a password alone is refused for an enrolled user.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.TwoStepBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Key that seals the TOTP secrets and recovery-code hashes; empty: derived from SECRET_KEY.
TWO_FACTOR_KEY = os.environ.get("TWO_FACTOR_KEY", "")
# Name shown in the authenticator app beside the account.
TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "") or SITE_NAME
# Seconds between a correct password and the code (or enrolment) before the password is asked again.
TWO_FACTOR_PENDING_SECONDS = envint("TWO_FACTOR_PENDING_SECONDS", 300)
# A session ends after SESSION_COOKIE_AGE seconds whatever happens (set below) and after
# SESSION_IDLE_TIMEOUT seconds without a request; activity is written at most once a minute.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
# --- end of staff security ----------------------------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
FORMAT_MODULE_PATH = ["parindex.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [("bootstrap", __import__("xstatic.pkg.bootstrap").pkg.bootstrap.BASE_DIR)]
# Evidence and generated reports: a local folder, or an S3-compatible store when S3_BUCKET is set
# (several web and worker machines then share it; docs/scaling.md).
if os.environ.get("S3_BUCKET"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": None,  # private: files are streamed through the app's permission checks
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        # Hashed, compressed files after `collectstatic` in production; plain files otherwise.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if envbool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", DEBUG)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "media/"
# Framework uploads are small; anything bigger is refused before it is read.
FRAMEWORK_UPLOAD_MAX_BYTES = envint("FRAMEWORK_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Evidence files (PDF, DOCX, XLSX, JPG, PNG), checked by content; ClamAV scanning when a clamd socket is set.
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
CLAMAV_SOCKET = os.environ.get("CLAMAV_SOCKET", "")
# Survey intake: responses accepted from one address (or device) per hour before refusing, and the
# fewest seconds a genuine respondent needs per answered question (faster is flagged "speeding").
SURVEY_MAX_PER_SOURCE_PER_HOUR = envint("SURVEY_MAX_PER_SOURCE_PER_HOUR", 30)
# Separately (unset: the value above): a one-stop desk whose Wi-Fi leaves through one public address needs a
# higher address limit, while one phone (device) stays limited.
SURVEY_MAX_PER_ADDRESS_PER_HOUR = envint("SURVEY_MAX_PER_ADDRESS_PER_HOUR", 0) or None
SURVEY_MAX_PER_DEVICE_PER_HOUR = envint("SURVEY_MAX_PER_DEVICE_PER_HOUR", 0) or None
SURVEY_BURST_PER_10_MINUTES = envint("SURVEY_BURST_PER_10_MINUTES", 5)
SURVEY_MIN_SECONDS_PER_ANSWER = envint("SURVEY_MIN_SECONDS_PER_ANSWER", 2)
# Codes refused to one device per hour before it may try no more, the same for one address (higher: a
# desk's Wi-Fi or a carrier's NAT puts many citizens behind one address), and the refusals to one device
# before an accepted response that flag it "refused_codes" (a guessed or passed-on code).
SURVEY_MAX_CODE_REFUSALS_PER_HOUR = envint("SURVEY_MAX_CODE_REFUSALS_PER_HOUR", 20)
SURVEY_MAX_CODE_REFUSALS_PER_ADDRESS_PER_HOUR = envint(
    "SURVEY_MAX_CODE_REFUSALS_PER_ADDRESS_PER_HOUR", 100
)
SURVEY_CODE_REFUSALS_FLAG = envint("SURVEY_CODE_REFUSALS_FLAG", 3)
# Key of the survey's keyed hashes (invitation and dossier codes, addresses, devices); empty: SECRET_KEY.
# Set it in production so that SECRET_KEY can be rotated without losing one-response-per-dossier and codes.
SURVEY_HASH_KEY = os.environ.get("SURVEY_HASH_KEY", "")
# Days before a phase closes when units and reviewers get a reminder (`parindex send-reminders`).
DEADLINE_REMINDER_DAYS = envint("DEADLINE_REMINDER_DAYS", 3)

# The assistant's optional model (docs/assistant.md): an OpenAI-compatible endpoint the city hosts.
# Unset: the built-in engine alone answers.
ASSISTANT_API_BASE = os.environ.get("ASSISTANT_API_BASE", "").rstrip("/")
ASSISTANT_MODEL = os.environ.get("ASSISTANT_MODEL", "")
ASSISTANT_API_KEY = os.environ.get("ASSISTANT_API_KEY", "")
ASSISTANT_TIMEOUT = envint("ASSISTANT_TIMEOUT", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# The cache (rendered public pages and open-data files, public/caching.py). Several web processes need a
# shared one: CACHE_URL=redis://127.0.0.1:6379/1 (needs the `redis` package). Empty: each process keeps its
# own in memory, which is correct too (the keys change with every publication), only less shared.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "ops.cache.RedisCache",  # Django's, reusing its clients
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "parindex"),
            # A hung Redis must not hang the pages: give up quickly (the cache is only a cache).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL == "dummy://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://…, rediss://…, unix://…, locmem:// or dummy://, not {CACHE_URL!r}"
    )
# Seconds a rendered public page or file is kept (a new publication stops its use at once anyway).
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 24 * 3600)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "parindex@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A refused form says why in Vietnamese, on the site's page (parindex.views.csrf_failure).
CSRF_FAILURE_VIEW = "parindex.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind TLS (production): secure cookies, HSTS, redirect to https. Off for the local quick start.
HTTPS = envbool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks; the variable gunicorn
# reads too). Only behind a proxy: otherwise anyone could pick the address the limits count.
TRUSTED_PROXIES = envlist("FORWARDED_ALLOW_IPS", "127.0.0.1,::1") if BEHIND_PROXY else []
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy: everything from our own origin; no inline scripts.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# ── Operation: health, logs, metrics (docs/observability.md) ────────────────────────────────────────
# Logs: one JSON object per line (LOG_FORMAT=json, the default outside DEBUG) or readable text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING["formatters"] = {
    "json": {"()": "ops.observability.JsonFormatter"},
    "text": {"()": "ops.observability.TextFormatter"},
}
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
# /metrics: readable with `Authorization: Bearer $METRICS_TOKEN`, or straight (not through the proxy)
# from the addresses or networks in METRICS_ALLOWED_IPS (loopback by default with DEBUG only).
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = envlist("METRICS_ALLOWED_IPS", "127.0.0.1,::1" if DEBUG else "")
for _network in METRICS_ALLOWED_IPS:
    try:
        __import__("ipaddress").ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS: {_network!r} is not an address or network"
        ) from None
# /health fails when the oldest task waiting for a worker has waited longer than this (seconds).
HEALTH_TASK_QUEUE_MAX_AGE = envint("HEALTH_TASK_QUEUE_MAX_AGE", 600)
# Seconds /health waits for the cache and the storage before calling them failed.
HEALTH_CHECK_TIMEOUT = envint("HEALTH_CHECK_TIMEOUT", 3)
# Probes and scrapes may come over plain http straight to the app server.
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^health$", r"^metrics$"]
# ── end of operation settings ───────────────────────────────────────────────────────────────────────
