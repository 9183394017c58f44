"""A per-person limit on requests that send e-mail (adding people, inviting, reminding).

A thin layer over `ratelimit.hit`, keyed by the signed-in person rather than
by address: a facilitator's account, stolen or misused, cannot be turned into
a way to send unlimited e-mail, and colleagues behind one office address do
not share a limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import ratelimit

SCOPE = "email-pages"


def limits_email(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a POST with 429 once its person has sent RATE_LIMIT_EMAIL_PAGES a minute."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not ratelimit.hit(
            SCOPE, f"user-{request.user.pk}", settings.RATE_LIMIT_EMAIL_PAGES
        ):
            return ratelimit.too_many(request)
        return view(request, *args, **kwargs)

    return wrapper
