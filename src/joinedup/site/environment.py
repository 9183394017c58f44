"""Every environment variable the web app reads, with what it means.

Settings read the environment only through `env`, `env_bool`, `env_int` and
`env_list` here, and each refuses a name that is not in VARIABLES, so the list
that `joinedup serve --help` prints cannot drift from what is really read.
This module imports nothing from Django: the command line's help uses it.
"""

from __future__ import annotations

import os

VARIABLES: dict[str, str] = {
    "SECRET_KEY": "a long random secret for signing sessions and links; required unless DEBUG",
    "DEBUG": "1 for a developer's machine: detailed error pages, no secret key needed",
    "DATABASE_URL": "where the database is (default: SQLite file joinedup.sqlite3 here)",
    "TEST_DATABASE_NAME": "the PostgreSQL database name the test suite may create",
    "ALLOWED_HOSTS": "host names the site answers to, comma-separated",
    "CSRF_TRUSTED_ORIGINS": "extra origins trusted for form posts, comma-separated",
    "SITE_URL": "the public address, used in e-mailed links (https switches on HSTS etc.)",
    "SECURE_SSL_REDIRECT": "1 or 0: redirect http to https (default: on when SITE_URL is https)",
    "SECURE_HSTS_SECONDS": "how long browsers must use https only (default: a year with https)",
    "SECURE_HSTS_PRELOAD": "1 or 0: allow browsers' HSTS preload lists (default: with HSTS)",
    "SECURE_COOKIES": "1 or 0: cookies only over https (default: on when SITE_URL is https)",
    "SECURE_PROXY_SSL_HEADER": "header a trusted proxy sets for https, e.g. X-Forwarded-Proto",
    "STATIC_ROOT": "folder for `joinedup manage collectstatic` (only behind a CDN)",
    "MAX_UPLOAD_BYTES": "the largest upload accepted, in bytes (default 50 MB)",
    "UPLOAD_MAX_ROWS": "the most rows an uploaded file may have (default 200,000)",
    "UPLOAD_MAX_COLUMNS": "the most columns an uploaded file may have (default 500)",
    "UPLOAD_MAX_CELLS": "the most cells an uploaded file may have (default 5,000,000)",
    "UPLOAD_MAX_UNCOMPRESSED_BYTES": "the most an uploaded workbook may unpack to (500 MB)",
    "EMAIL_HOST": "the SMTP server; without it e-mails are kept in the in-app outbox",
    "EMAIL_PORT": "the SMTP server's port (default 25)",
    "EMAIL_HOST_USER": "the SMTP user name",
    "EMAIL_HOST_PASSWORD": "the SMTP password",
    "EMAIL_USE_TLS": "1 to use STARTTLS with the SMTP server",
    "EMAIL_USE_SSL": "1 to use SMTP over TLS",
    "DEFAULT_FROM_EMAIL": "the sender of every e-mail",
    "EMAIL_MESSAGES_PER_CONNECTION": "e-mails a worker sends over one SMTP connection (default 20)",
    "SEND_LEASE_SECONDS": "seconds before another worker retries an e-mail a dead worker held",
    "DAILY_JOBS_HOUR": "hour of the day (site time) from which daily jobs run (default 7)",
    "WEEKLY_UPDATE_DAY": "day the weekly update is sent: mon, tue, ... sun (default mon)",
    "WEEKLY_UPDATE_HOUR": "hour of that day (site time) from which it is sent (default 8)",
    "TASK_LEASE_SECONDS": "seconds before a task a dead worker left running is run again",
    "SEND_ATTEMPTS": "tries to send one e-mail before it waits for 'Send again' (default 8)",
    "SEND_RETRY_SECONDS": "wait before the first retry of a failed e-mail; doubles each time",
    "SIGN_IN_MAX_FAILURES": "failed sign-ins from one address before the account locks there",
    "SIGN_IN_LOCKOUT_MINUTES": "how long such a lock-out lasts (default 15)",
    "API_TOKEN_DAYS": "the longest an API token may last, in days (default 90)",
    "RATE_LIMIT_SURVEY": "requests a minute to one survey link",
    "RATE_LIMIT_SURVEY_MISSES": "unknown survey links tried a minute from one address",
    "RATE_LIMIT_API": "API requests a minute per token",
    "RATE_LIMIT_SIGN_IN": "sign-in page requests a minute from one address",
    "RATE_LIMIT_EMAIL_PAGES": "e-mailing requests (adding people, inviting) a minute per person",
    "RATE_LIMIT_SURVEY_MISSES_GLOBAL": "unknown survey links a minute from everyone together",
    "RATE_LIMIT_OPEN_STARTS": "starts a minute through one open link from one address",
    "RATE_LIMIT_OPEN_SUBMITS": "surveys sent an hour through one open link from one address",
    "REDIS_URL": "Redis for the cache and rate limits, e.g. redis://127.0.0.1:6379/0",
    "CACHE_KEY_PREFIX": "prefix of this site's keys in a shared Redis (default joinedup)",
    "TRUSTED_PROXY_COUNT": "proxies in front of the app; the client address is read past them",
    "SQLITE_TIMEOUT": "seconds a SQLite write waits for another to finish (default 30)",
    "LOG_LEVEL": "WARNING by default; INFO or DEBUG for more",
}


def _known(name: str) -> str:
    if name not in VARIABLES:
        raise KeyError(f"{name} is read from the environment but not listed in VARIABLES")
    return name


def env(name: str, default: str = "") -> str:
    return os.environ.get(_known(name), default)


def env_set(name: str) -> bool:
    """Whether the variable is set to something (an empty value counts as unset)."""
    return bool(env(name).strip())


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


def help_text() -> str:
    """The list for `joinedup serve --help`."""
    width = max(len(name) for name in VARIABLES)
    lines = [f"  {name.ljust(width)}  {text}" for name, text in VARIABLES.items()]
    return "environment variables read:\n" + "\n".join(lines)
