"""Production starts safe, or refuses to start.

Each test runs the real command line or imports the real settings in a fresh
process with a chosen environment, because settings are read once, at start.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from joinedup.site.environment import VARIABLES, env
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
JOINEDUP = Path(sys.executable).parent / "joinedup"


def _environment(tmp_path: Path, **values: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    environment["PYTHONPATH"] = str(ROOT / "src")
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests allow Django's sync calls from Playwright's event loop
    # in their own process; a production server must not inherit that.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment.update(values)
    return environment


def _run(
    arguments: list[str], environment: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(JOINEDUP), *arguments],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(environment: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json, joinedup.site.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SITE_URL": "https://joinedup.example.gov.uk",
    "ALLOWED_HOSTS": "joinedup.example.gov.uk",
}


def test_serve_refuses_to_start_without_a_secret_key_and_says_what_to_set(tmp_path: Path) -> None:
    done = _run(["serve", "--port", str(free_port())], _environment(tmp_path), tmp_path)
    assert done.returncode == 2
    assert "not starting" in done.stderr and "SECRET_KEY" in done.stderr
    assert "is running at" not in done.stderr


def test_the_wsgi_application_refuses_too(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import joinedup.site.wsgi"],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_check_deploy_is_clean_with_a_production_environment(tmp_path: Path) -> None:
    done = _run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        _environment(tmp_path, **PRODUCTION),
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)" in done.stdout + done.stderr


def test_check_deploy_reports_a_missing_secret_key(tmp_path: Path) -> None:
    without_key = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    done = _run(["manage", "check", "--deploy"], _environment(tmp_path, **without_key), tmp_path)
    assert done.returncode != 0
    assert "joinedup.E001" in done.stderr


def test_an_https_site_gets_hsts_an_ssl_redirect_and_secure_cookies(tmp_path: Path) -> None:
    names = ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE")
    names += ("CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER")
    https = _settings(_environment(tmp_path, **PRODUCTION), *names)
    assert https["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert https["SECURE_SSL_REDIRECT"] is True
    assert https["SESSION_COOKIE_SECURE"] is True and https["CSRF_COOKIE_SECURE"] is True
    assert https["SECURE_PROXY_SSL_HEADER"] is None
    http = _settings(_environment(tmp_path, SITE_URL="http://localhost:8000"), *names)
    assert http["SECURE_HSTS_SECONDS"] == 0
    assert http["SECURE_SSL_REDIRECT"] is False and http["SESSION_COOKIE_SECURE"] is False


def test_each_https_setting_can_be_overridden_and_a_proxy_header_named(tmp_path: Path) -> None:
    overridden = _settings(
        _environment(
            tmp_path,
            **PRODUCTION,
            SECURE_HSTS_SECONDS="3600",
            SECURE_SSL_REDIRECT="0",
            SECURE_COOKIES="0",
            SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        ),
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert overridden == {
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_serve_help_lists_every_environment_variable_read(tmp_path: Path) -> None:
    done = _run(["serve", "--help"], _environment(tmp_path), tmp_path)
    assert done.returncode == 0
    for name in VARIABLES:
        assert f"  {name} " in done.stdout
    # Settings read variables only through the list, so it cannot drift.
    settings_source = (ROOT / "src/joinedup/site/settings.py").read_text()
    assert "os.environ" not in settings_source
    with pytest.raises(KeyError, match="not listed"):
        env("SOMETHING_NOT_LISTED")


def test_without_a_mail_server_e_mails_go_to_the_outbox_and_with_one_by_smtp(
    tmp_path: Path,
) -> None:
    none = _settings(_environment(tmp_path), "EMAIL_BACKEND", "OUTBOX_BACKEND")
    assert (
        none["EMAIL_BACKEND"] == none["OUTBOX_BACKEND"] == "joinedup.outbox.backend.OutboxBackend"
    )
    smtp = _settings(_environment(tmp_path, EMAIL_HOST="smtp.example.org"), "EMAIL_BACKEND")
    assert smtp["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
