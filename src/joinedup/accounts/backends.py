"""Sign-in by e-mail address and password, with lock-out after repeated failures."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from joinedup.site.ratelimit import client_address

from . import services
from .models import User


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        email: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        address = (email or username or "").strip().lower()
        if not address or password is None:
            return None
        # Lock-outs are counted per client address: see accounts.services.
        client = client_address(request) if request is not None else "unknown"
        return services.check_credentials(address, password, client)
