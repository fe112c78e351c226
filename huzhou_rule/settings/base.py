"""All settings of huzhou_rule, read from the environment (see .env.example)."""
import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# ---------------------------------------------------------------- GENERAL
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
TIME_ZONE = "Asia/Shanghai"
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ---------------------------------------------------------------- PORTAL IDENTITY (footer of every page)
#: 网站标识码, ICP备案号 and 公安机关备案号 as issued for the deployment; a field left empty is not shown.
HUZHOU_SITE_CODE = env.str("HUZHOU_SITE_CODE", default="")
HUZHOU_ICP_NUMBER = env.str("HUZHOU_ICP_NUMBER", default="")
HUZHOU_PSB_NUMBER = env.str("HUZHOU_PSB_NUMBER", default="")
HUZHOU_SITE_HOST = env.str("HUZHOU_SITE_HOST", default="湖州市司法局")
#: 索引号 in the organisation-code form: each body's 统一社会信用代码 (or 组织机构代码) by its portal code,
#: as JSON, e.g. {"hz-gov": "11330500002609378D"}; a body without one keeps its portal code.
HUZHOU_ORG_CODES = env.json("HUZHOU_ORG_CODES", default={})
#: 主题分类: the topic list (JSON list; empty: the 国务院公文主题词表 topics in core.disclosure) and each
#: body's topic (JSON object, body code → topic; merged over the defaults in core.disclosure)
HUZHOU_TOPICS = env.json("HUZHOU_TOPICS", default=[])
HUZHOU_BODY_TOPICS = env.json("HUZHOU_BODY_TOPICS", default={})
#: the date style of the pages (2026年3月28日 / 28 March 2026): huzhou_rule/formats/<language>/formats.py
FORMAT_MODULE_PATH = ["huzhou_rule.formats"]
USE_I18N = True
USE_TZ = True
ROOT_URLCONF = "huzhou_rule.urls"
WSGI_APPLICATION = "huzhou_rule.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- DATABASES
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=600)
# The cache holds the public rate limits (comments, suggestions, subscriptions) and the API
# throttle. One process: memory. Several web servers: point CACHE_URL at a shared Redis database
# (e.g. redis://redis-host:6379/1 — not the Celery broker's database), so a limit holds across them.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
HUZHOU_READ_REPLICA = env.bool("HUZHOU_READ_REPLICA", default=True)
DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]
HUZHOU_METRICS_TOKEN = env.str("HUZHOU_METRICS_TOKEN", default="")

# The public page cache (core.pagecache): anonymous public pages and public API answers, per language.
HUZHOU_PAGE_CACHE = env.bool("HUZHOU_PAGE_CACHE", default=True)
HUZHOU_PAGE_CACHE_SECONDS = env.int("HUZHOU_PAGE_CACHE_SECONDS", default=600)
HUZHOU_CDN_MAX_AGE = env.int("HUZHOU_CDN_MAX_AGE", default=0)  # s-maxage for a CDN in front; 0: revalidate
HUZHOU_PAGE_CACHE_EXACT = ("/", "/sitemap.xml")
HUZHOU_PAGE_CACHE_PATHS = ("/catalog/", "/public/", "/library/", "/search/", "/feeds/", "/api/v1/public/",
                           "/consultations/", "/open-data/", "/transparency/")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Every statement of the application gives up after HUZHOU_DB_STATEMENT_TIMEOUT and every lock wait
# after HUZHOU_DB_LOCK_TIMEOUT (milliseconds; 0 = no limit), so a stuck lock answers 503 instead of
# stalling the site until gunicorn kills its workers (its --timeout must be longer; see README).
DB_STATEMENT_TIMEOUT_MS = env.int("HUZHOU_DB_STATEMENT_TIMEOUT", default=30_000)
DB_LOCK_TIMEOUT_MS = env.int("HUZHOU_DB_LOCK_TIMEOUT", default=10_000)
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS} -c lock_timeout={DB_LOCK_TIMEOUT_MS}"
)
#: Seconds a client is told to wait (Retry-After) when the database is unavailable or too slow.
DB_UNAVAILABLE_RETRY_AFTER = env.int("HUZHOU_RETRY_AFTER", default=30)
# A read replica for anonymous public reads (core.dbrouter); writes and signed-in users use the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {**env.db("DATABASE_REPLICA_URL"), "TEST": {"MIRROR": "default"},
                            **{k: DATABASES["default"][k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "OPTIONS")}}

# ---------------------------------------------------------------- APPS
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc as our own static files (works offline)
]
LOCAL_APPS = ["core", "deadlines", "reviews", "decisions", "normative_docs", "enforcement", "search", "consultations", "subscriptions",
              "contracts", "legal_affairs",
              "portal", "workbench"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# ---------------------------------------------------------------- MIDDLEWARE
MIDDLEWARE = [
    "core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security_headers.CSPMiddleware",  # django-csp's, the settings' policy built once
    # Cache-Control: no-store on what is not public, Permissions-Policy (core/security_headers.py)
    "core.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestIdMiddleware",
    "core.failures.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    # NUL, control and bidi-override characters anywhere in a request: 400 (core/input_guard.py)
    "core.input_guard.InputGuardMiddleware",
    "core.pagecache.PublicPageCacheMiddleware",  # after the language is known (decision record 0023)
    "core.dbrouter.ReplicaReadsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # idle timeout, second factor, password expiry (core/accounts.py)
    "core.accounts.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # lockout after repeated login failures (django-axes; core/accounts.py)
    "axes.middleware.AxesMiddleware",
    # last: it runs API writes (with their Idempotency-Key) inside one transaction
    "core.idempotency.ApiWriteMiddleware",
]

# ---------------------------------------------------------------- AUTH
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:my-work"
LOGOUT_REDIRECT_URL = "public:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "core.accounts.ComplexityValidator"},
    {"NAME": "core.accounts.HistoryValidator"},
]
# core.accounts.ModelBackend: Django's, the session's user read with their department (sessions signed in
# through django.contrib.auth.backends.ModelBackend before it end once: the backend is kept in the session)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "core.accounts.ModelBackend"]
# ---- accounts and sessions to 等保 level 3 (core/accounts.py; README "Security")
#: TOTP second factor for administrators, the office, reviewers and supervisors. Only development
#: and tests switch it off (HUZHOU_REQUIRE_2FA=0); never in production.
HUZHOU_REQUIRE_2FA = env.bool("HUZHOU_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "法治湖州"
HUZHOU_LOCKOUT_FAILURES = env.int("HUZHOU_LOCKOUT_FAILURES", default=5)
HUZHOU_LOCKOUT_MINUTES = env.int("HUZHOU_LOCKOUT_MINUTES", default=30)
HUZHOU_TOKEN_HOURS = env.int("HUZHOU_TOKEN_HOURS", default=8)
HUZHOU_SESSION_IDLE_MINUTES = env.int("HUZHOU_SESSION_IDLE_MINUTES", default=30)
HUZHOU_SINGLE_SESSION = env.bool("HUZHOU_SINGLE_SESSION", default=True)
HUZHOU_PASSWORD_MAX_AGE_DAYS = env.int("HUZHOU_PASSWORD_MAX_AGE_DAYS", default=90)
HUZHOU_PASSWORD_HISTORY = env.int("HUZHOU_PASSWORD_HISTORY", default=5)
AXES_FAILURE_LIMIT = HUZHOU_LOCKOUT_FAILURES
# per account (from any address) and per address (for any account)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=HUZHOU_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.accounts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.accounts.axes_client_ip"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins are security events in the audit trail
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Behind the TLS proxy every plain-HTTP request is redirected and browsers are told to use HTTPS
# only (HSTS, one year by default, sub-domains included, preload list eligible).
SECURE_SSL_REDIRECT = BEHIND_TLS_PROXY
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000) if BEHIND_TLS_PROXY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): nothing inline, nothing from another site. Every script and
# style is a file under /static/; images may be data: URIs (server-rendered charts are inline SVG).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# ---------------------------------------------------------------- TEMPLATES
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
                "core.context_processors.roles",
                "workbench.context_processors.unread_notifications",
                "workbench.context_processors.calendar_warning",
                "workbench.context_processors.navigation_context",
                "portal.context_processors.site_identity",
            ],
            # the date filters (|day, |moment) and the state labels on every template, without {% load %}
            "builtins": ["core.templatetags.huzhou"],
        },
    }
]

# ---------------------------------------------------------------- STATIC / MEDIA
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded evidence lives outside every served folder; only workbench.views streams it, after a permission check.
PRIVATE_MEDIA_ROOT = Path(env.str("HUZHOU_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "uploads")))
ATTACHMENT_MAX_BYTES = env.int("HUZHOU_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
#: An Office file (a zip) may unpack to at most this many bytes, and at most this many times its size.
HUZHOU_UPLOAD_MAX_UNPACKED = env.int("HUZHOU_UPLOAD_MAX_UNPACKED", default=100 * 1024 * 1024)
HUZHOU_UPLOAD_MAX_RATIO = env.int("HUZHOU_UPLOAD_MAX_RATIO", default=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------- REST_FRAMEWORK
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.accounts.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler.api_exception_handler",
    "DEFAULT_METADATA_CLASS": "core.api.metadata.ApiMetadata",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "core.api.parsers.GuardedFormParser",
                               "core.api.parsers.GuardedMultiPartParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    # Public reads and logging in are limited separately: a crawler reading the catalog does not
    # lock people out of the token endpoint, and password guessing has its own, lower ceiling.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("HUZHOU_ANON_THROTTLE", default="120/min"),
        "public": env.str("HUZHOU_PUBLIC_THROTTLE", default="120/min"),
        "login": env.str("HUZHOU_LOGIN_THROTTLE", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "法治湖州·依法行政平台 API",
    "DESCRIPTION": "重大行政决策、行政规范性文件与行政执法的全生命周期接口。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI and ReDoc come from drf-spectacular-sidecar's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the 立改废 kinds appear in two inputs (a link, a historical document's relations)
    "ENUM_NAME_OVERRIDES": {"RelationKindEnum": "normative_docs.workflow.RelationKind"},
}

# ---------------------------------------------------------------- CELERY
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# The filesystem broker's folder: the web process and the worker must name the same one.
_broker_folder = Path(env.str("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_broker_folder / "out"),
        "data_folder_out": str(_broker_folder / "out"),
        "processed_folder": str(_broker_folder / "processed"),
        "control_folder": str(_broker_folder / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks never carry long countdowns or ETAs (on Redis they would run again after the visibility
# timeout): every deadline lives in the database and these sweeps pick it up.
CELERY_BEAT_SCHEDULE: dict = {
    "deliver-due-reminders": {"task": "deadlines.tasks.deliver_due_reminders", "schedule": 60.0},
    # each run drains the outbox for up to 50 s (deadlines.services.OUTBOX_TIME_BUDGET): sending is continuous
    "send-outbox-email": {"task": "deadlines.tasks.send_outbox_email", "schedule": 15.0},
    "daily-deadline-housekeeping": {
        "task": "deadlines.tasks.daily_housekeeping",
        "schedule": crontab(hour=7, minute=30),
    },
    "daily-digest-email": {"task": "deadlines.tasks.send_daily_digests", "schedule": crontab(hour=8, minute=0)},
    "refresh-search-index": {"task": "search.tasks.refresh_search_index", "schedule": 300.0},
    "audit-checkpoint": {"task": "core.tasks.audit_checkpoint_task", "schedule": crontab(minute=0)},
    "purge-idempotency-records": {"task": "core.tasks.purge_idempotency_records_task",
                                  "schedule": crontab(hour=3, minute=15)},
    "subscription-digests": {  # CELERY_TIMEZONE is Asia/Shanghai
        "task": "subscriptions.tasks.send_subscription_digests",
        "schedule": crontab(hour=8, minute=30),
    },
}

# ---------------------------------------------------------------- E-MAIL
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="法治湖州 <noreply@huzhou.gov.cn>")
#: The portal's public address, used in links inside e-mails and calendar feeds.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# ---------------------------------------------------------------- DOMAIN
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Huzhou#Demo2026")

# ---------------------------------------------------------------- AUDIT ANCHORS AND SIGNATURES
#: Ed25519 private key (base64 of 32 bytes) that signs audit checkpoints, archive packages and
#: restore markers; never stored in the database. `manage.py generate_signing_key` makes one.
#: Without it and without DEBUG, signing refuses to run.
HUZHOU_SIGNING_KEY = env.str("HUZHOU_SIGNING_KEY", default="")
#: Public keys (base64) of retired signing keys, still trusted when verifying older checkpoints.
HUZHOU_SIGNING_PUBLIC_KEYS = env.list("HUZHOU_SIGNING_PUBLIC_KEYS", default=[])
#: Every checkpoint is also appended here (JSON lines), outside the database: put it on other
#: storage than PostgreSQL (WORM bucket mount, the audit administrator's share). Empty: off.
HUZHOU_AUDIT_CHECKPOINT_FILE = env.str("HUZHOU_AUDIT_CHECKPOINT_FILE",
                                       default=str(BASE_DIR / "var" / "audit-checkpoints.jsonl"))

# ---------------------------------------------------------------- PERSONAL DATA AT REST (core/pii_crypto.py)
#: "<key id>:<base64 of 32 bytes>[,<older key id>:<key>…]" — the first encrypts party ID numbers,
#: all decrypt; `manage.py generate_pii_key` makes one, `manage.py rotate_pii_key` re-encrypts.
#: A development key is used when DEBUG is on; otherwise required. Keep them out of the database.
HUZHOU_PII_KEYS = env.str("HUZHOU_PII_KEYS", default="")
#: base64 of 32 bytes: the key of the blind index used to find the same party (rotate_pii_key --index-key).
HUZHOU_PII_INDEX_KEY = env.str("HUZHOU_PII_INDEX_KEY", default="")

# ---------------------------------------------------------------- LOGGING
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# <select> elements written in Python, the same markup as Django's templates (core/form_renderer.py)
FORM_RENDERER = "core.form_renderer.FastSelectRenderer"
