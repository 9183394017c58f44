"""A simple fixed-window rate limit per client address, kept in the shared cache.

The cache is the database cache, so every app server behind a load balancer
counts against the same limits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _name(scope: str, key: str) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    return f"ratelimit:{scope}:{key}:{window}"


def count(scope: str, key: str) -> int:
    """How many times the key was counted this minute."""
    return int(cache.get(_name(scope, key), 0))


def hit(scope: str, key: str, limit: int) -> bool:
    """Count one request; True while the key is within `limit` requests this minute."""
    name = _name(scope, key)
    if cache.add(name, 1, WINDOW_SECONDS * 2):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, WINDOW_SECONDS * 2)
        count = 1
    return count <= limit


def too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def rate_limited(scope: str, limit: Callable[[], int]) -> Callable[..., Any]:
    """Refuse a view with 429 when one address calls it more than `limit()` times a minute."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not hit(scope, client_address(request), limit()):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
