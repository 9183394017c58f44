"""Refusing to serve on unsafe settings.

Without SECRET_KEY the settings fall back to a development key that is public
in the repository; anyone who knows it can forge sessions and password-reset
links. `joinedup serve` and the WSGI application therefore refuse to start on
it unless DEBUG is on, and `joinedup manage check --deploy` reports it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SECRET_KEY_MESSAGE = (
    "SECRET_KEY is not set. Set the environment variable SECRET_KEY to a long random "
    'value kept secret (for example the output of: python -c "import secrets; '
    "print(secrets.token_urlsafe(50))\"), or set DEBUG=1 on a developer's machine only."
)


def unsafe_secret_key() -> bool:
    """True when the site would run, outside DEBUG, on the public development key."""
    return not settings.DEBUG and not settings.SECRET_KEY_FROM_ENVIRONMENT


def require_secret_key() -> None:
    """Stop with a message saying what to set, rather than serve on a public key."""
    if unsafe_secret_key():
        raise ImproperlyConfigured(SECRET_KEY_MESSAGE)


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if unsafe_secret_key():
        return [checks.Error(SECRET_KEY_MESSAGE, id="joinedup.E001")]
    return []
