"""Django settings, read from environment variables.

Everything that differs between a laptop and production comes from the
environment; `environment.VARIABLES` lists every variable read, with what it
means (`joinedup serve --help` prints it). The web tier keeps nothing on local
disk (sessions, rate-limit counters and drafts live in the database), so
several app servers can run behind a load balancer against one PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from joinedup.site.environment import env, env_bool, env_int, env_list, env_set

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a development key is used so that the test suite and
# `joinedup manage` work, but `joinedup serve`, the WSGI application and
# `check --deploy` refuse to run on it unless DEBUG is on (site/startup.py).
DEVELOPMENT_SECRET_KEY = "joinedup-development-key-not-for-production-use-0123456789"
SECRET_KEY_FROM_ENVIRONMENT = env_set("SECRET_KEY")
SECRET_KEY = env("SECRET_KEY").strip() or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
SITE_NAME = "Joined Up"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "joinedup.accounts",
    "joinedup.partnerships",
    "joinedup.surveys",
    "joinedup.results",
    "joinedup.api",
    "joinedup.actions",
    "joinedup.outbox",
    "csp",
    "joinedup.toolkit",
    "django_tasks",
    "django_tasks_db",
    "joinedup.worker",
    "joinedup.updates",
]

# Slow work (sending e-mail, closing a round) runs in `joinedup worker`, which
# takes tasks from a table in the same database: on PostgreSQL any number of
# workers on several machines share it (see docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# How long a worker may hold one e-mail before another worker takes it over
# (a worker killed mid-send); longer than EMAIL_TIMEOUT and a message's sending.
SEND_LEASE_SECONDS = env_int("SEND_LEASE_SECONDS", 300)
# How long a task may stay "running" before the worker takes its worker for
# dead and queues it again (every task is safe to run twice; see surveys/tasks.py).
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 1800)
# Tries before an e-mail waits for a facilitator's "Send again"; back-off doubles each time.
SEND_ATTEMPTS = env_int("SEND_ATTEMPTS", 8)
SEND_RETRY_SECONDS = env_int("SEND_RETRY_SECONDS", 30)
# The hour (site time) from which the worker queues each day's daily jobs.
DAILY_JOBS_HOUR = env_int("DAILY_JOBS_HOUR", 7)
# The day and hour (site time) from which the weekly update is sent.
WEEKLY_UPDATE_DAY = env("WEEKLY_UPDATE_DAY", "mon").strip().lower()[:3]
if WEEKLY_UPDATE_DAY not in {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}:
    raise ImproperlyConfigured("WEEKLY_UPDATE_DAY must be a day of the week: mon, tue, ... sun")
WEEKLY_UPDATE_HOUR = env_int("WEEKLY_UPDATE_HOUR", 8)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # /health/ for load balancers: answered here, before sessions, CSRF,
    # sign-in and the host check (site/health.py says why).
    "joinedup.site.health.HealthMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "joinedup.site.middleware.ScrollableTablesMiddleware",
    "joinedup.site.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "joinedup.site.urls"
WSGI_APPLICATION = "joinedup.site.wsgi.application"

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
                "joinedup.site.context.site",
            ],
            "builtins": ["joinedup.site.templatetags.govuk"],
        },
    },
    # The respondent's pages (surveys/jinja2/): the hot path, see site/jinja.py.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "joinedup.site.jinja.environment"},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{Path.cwd() / 'joinedup.sqlite3'}"),
        conn_max_age=60,
    )
}
# The test suite's database (PostgreSQL): a name of its own per run can be
# given, so that two runs on one server never share a test database.
if env("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["joinedup.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "partnerships:list"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Repeated failed sign-ins lock an account for a while (accounts.services).
# A lock-out holds for one client address only, and expires: see
# docs/privacy.md §7.5 for why.
SIGN_IN_MAX_FAILURES = env_int("SIGN_IN_MAX_FAILURES", 5)
SIGN_IN_LOCKOUT_MINUTES = env_int("SIGN_IN_LOCKOUT_MINUTES", 15)

# API tokens last at most this long; their owner may choose fewer days.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
# On an https site, browsers are told to use https only, http is redirected,
# and cookies travel only over https; each can be overridden.
HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# Load balancers often check health over plain http, behind the TLS they end.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# The header only makes the domain eligible; nothing is added to a preload list
# unless the domain's owner submits it (and only a whole domain can be).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
# Behind a proxy that ends TLS: the header it sets, e.g. X-Forwarded-Proto
# (then https is assumed when that header says "https"). Set it only when
# the proxy always sets or strips that header, or clients could forge it.
if env_set("SECURE_PROXY_SSL_HEADER"):
    _header = env("SECURE_PROXY_SSL_HEADER").strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (
        _header if _header.startswith("HTTP_") else f"HTTP_{_header}",
        "https",
    )
SESSION_COOKIE_AGE = 60 * 60 * 12

# The database cache holds rate-limit counters, shared by every app server.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "joinedup_cache",
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Static files are served from the app's own folders (WhiteNoise with finders);
# STATIC_ROOT is needed only for `joinedup manage collectstatic` behind a CDN.
STATIC_ROOT = Path(env("STATIC_ROOT")) if env("STATIC_ROOT") else None
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads are read in memory, never written to local disk (the web tier is
# stateless); a request larger than this is refused with a message.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# What an uploaded file may hold, checked before it is parsed (the reasons for
# each default are in joinedup.analysis.limits). The command line has its own,
# larger limits, for national rounds.
UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 200_000)
UPLOAD_MAX_COLUMNS = env_int("UPLOAD_MAX_COLUMNS", 500)
UPLOAD_MAX_CELLS = env_int("UPLOAD_MAX_CELLS", 5_000_000)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env_int("UPLOAD_MAX_UNCOMPRESSED_BYTES", 500 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES

EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
# A worker keeps its SMTP connection from one e-mail to the next, for this
# many messages (servers limit it: Exchange's default is 20), or until it has
# been idle for EMAIL_KEEP_IDLE_SECONDS (see site/mail.py `send_kept`).
EMAIL_MESSAGES_PER_CONNECTION = env_int("EMAIL_MESSAGES_PER_CONNECTION", 20)
EMAIL_KEEP_IDLE_SECONDS = 30
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Joined Up <joinedup@localhost>")
# With no mail server, e-mails are kept in the outbox, which facilitators read
# in the app (joinedup/outbox): for trials and demos, never for real surveys.
OUTBOX_BACKEND = "joinedup.outbox.backend.OutboxBackend"
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else OUTBOX_BACKEND

# Rate limits, per minute: requests to one survey link; unknown survey links
# tried from one address (guessing); sign-in attempts from one address.
# (More rate-limit settings, and where counters live, in the block at the end.)
RATE_LIMIT_SURVEY = env_int("RATE_LIMIT_SURVEY", 120)
RATE_LIMIT_SURVEY_MISSES = env_int("RATE_LIMIT_SURVEY_MISSES", 60)
RATE_LIMIT_API = env_int("RATE_LIMIT_API", 600)  # requests a minute per API token
RATE_LIMIT_SIGN_IN = env_int("RATE_LIMIT_SIGN_IN", 20)
# Requests that send e-mail (adding a person, inviting, reminding), a minute per
# signed-in person: a stolen or careless account cannot become a spam cannon.
RATE_LIMIT_EMAIL_PAGES = env_int("RATE_LIMIT_EMAIL_PAGES", 10)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): scripts, style sheets, images and
# fonts from this site only; no inline script anywhere, no framing, forms post
# here only. The one allowance is style *attributes* (style-src-attr): the
# SVG charts are shared with the self-contained HTML and PDF reports and size
# themselves with one. An attribute can neither run script nor hold the
# selectors that CSS-based data theft needs; <style> elements stay refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"survey_tokens": {"()": "joinedup.site.logs.RedactSurveyTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["survey_tokens"]}},
    # Django logs the path of every 4xx and 5xx: the filter runs on these
    # loggers themselves, so no handler anywhere sees a survey token.
    "loggers": {
        name: {"filters": ["survey_tokens"]}
        for name in ("django.request", "django.server", "django.security")
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}


# --------------------------------------------------------------------------
# Load, shared cache and rate limits (kept together; see docs/operations.md).

INSTALLED_APPS += ["joinedup.limits"]  # the database's rate-limit counters

# With REDIS_URL (for example redis://127.0.0.1:6379/0), the cache and the
# rate limits live in Redis, shared by every server process and machine.
# Without it, the embedded default needs no server: the database cache, and
# rate-limit counters in a table of their own (both shared across processes).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "joinedup.site.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "joinedup"),
        }
    }

# How many proxies we run in front of the app (load balancer, nginx): the
# client's address is the n-th from the right in X-Forwarded-For. 0 means
# clients connect directly and REMOTE_ADDR is theirs. Never set it higher
# than the real number: a client could then choose its own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Unknown survey links, from everyone together, per minute: past this, every
# unknown link gets "too many requests" (real links keep working).
RATE_LIMIT_SURVEY_MISSES_GLOBAL = env_int("RATE_LIMIT_SURVEY_MISSES_GLOBAL", 1000)
# Open links, per link and client address: starts a minute, and finished
# surveys an hour. Generous, so that a whole office behind one address can
# answer; refusals are counted on the open link for the facilitator.
RATE_LIMIT_OPEN_STARTS = env_int("RATE_LIMIT_OPEN_STARTS", 60)
RATE_LIMIT_OPEN_SUBMITS = env_int("RATE_LIMIT_OPEN_SUBMITS", 300)

# SQLite as a web server's database: write-ahead logging (readers never wait
# for a writer), a busy timeout, and transactions that take the write lock
# when they begin, so that concurrent answers queue instead of failing with
# "database is locked" part-way through.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 30),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

# PostgreSQL: bind parameters on the server, so that psycopg prepares the
# statements a connection runs again and again (every survey page's lookup)
# and PostgreSQL stops planning them afresh: about a third of a survey
# page's time went there (see docs/operations.md, "Load figures").
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("server_side_binding", True)
