"""Django settings, read from environment variables.

Everything that differs between a laptop and production comes from the
environment: DATABASE_URL (SQLite by default), SECRET_KEY, ALLOWED_HOSTS,
SITE_URL and the EMAIL_* settings. The web tier keeps nothing on local disk
(sessions, rate-limit counters and drafts live in the database), so several
app servers can run behind a load balancer against one PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is used only when none is set; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", "joinedup-development-key-not-for-production-use-0123456789")
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "joinedup.site.middleware.ScrollableTablesMiddleware",
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
    }
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
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Repeated failed sign-ins lock an account for a while (accounts.services).
SIGN_IN_MAX_FAILURES = int(env("SIGN_IN_MAX_FAILURES", "5"))
SIGN_IN_LOCKOUT_MINUTES = int(env("SIGN_IN_LOCKOUT_MINUTES", "15"))

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
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
MAX_UPLOAD_BYTES = int(env("MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES

EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Joined Up <joinedup@localhost>")
# With no mail server, e-mails (and so invitation links) are printed instead.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Rate limits, per minute: requests to one survey link; unknown survey links
# tried from one address (guessing); sign-in attempts from one address.
# (More rate-limit settings, and where counters live, in the block at the end.)
RATE_LIMIT_SURVEY = int(env("RATE_LIMIT_SURVEY", "120"))
RATE_LIMIT_SURVEY_MISSES = int(env("RATE_LIMIT_SURVEY_MISSES", "60"))
RATE_LIMIT_API = int(env("RATE_LIMIT_API", "600"))  # requests a minute per API token
RATE_LIMIT_SIGN_IN = int(env("RATE_LIMIT_SIGN_IN", "20"))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "joinedup"),
        }
    }

# How many proxies we run in front of the app (load balancer, nginx): the
# client's address is the n-th from the right in X-Forwarded-For. 0 means
# clients connect directly and REMOTE_ADDR is theirs. Never set it higher
# than the real number: a client could then choose its own address.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# Unknown survey links, from everyone together, per minute: past this, every
# unknown link gets "too many requests" (real links keep working).
RATE_LIMIT_SURVEY_MISSES_GLOBAL = int(env("RATE_LIMIT_SURVEY_MISSES_GLOBAL", "1000"))
# Open links, per link and client address: starts a minute, and finished
# surveys an hour. Generous, so that a whole office behind one address can
# answer; refusals are counted on the open link for the facilitator.
RATE_LIMIT_OPEN_STARTS = int(env("RATE_LIMIT_OPEN_STARTS", "60"))
RATE_LIMIT_OPEN_SUBMITS = int(env("RATE_LIMIT_OPEN_SUBMITS", "300"))

# SQLite as a web server's database: write-ahead logging (readers never wait
# for a writer), a busy timeout, and transactions that take the write lock
# when they begin, so that concurrent answers queue instead of failing with
# "database is locked" part-way through.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(env("SQLITE_TIMEOUT", "30")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

# PostgreSQL: bind parameters on the server, so that psycopg prepares the
# statements a connection runs again and again (every survey page's lookup)
# and PostgreSQL stops planning them afresh: about a third of a survey
# page's time went there (see docs/operations.md, "Load figures").
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("server_side_binding", True)
