"""Site-wide response adjustments."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from joinedup.reports.report import scrollable_tables


class ScrollableTablesMiddleware:
    """Wrap every table in a focusable region that scrolls sideways on its own.

    Data tables may need more width than a 320-pixel phone has (WCAG's reflow
    rule allows that for tables), but the page itself must not scroll
    sideways. Doing it here keeps every template's tables plain.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            content_type.startswith("text/html")
            and not response.streaming
            and b"<table" in response.content
        ):
            charset = response.charset or "utf-8"
            response.content = scrollable_tables(response.content.decode(charset)).encode(charset)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every signed-in page and every download.

    A partnership's pages and files are for the people signed in: no browser
    cache on a shared computer, and no proxy on the way, may keep a copy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = "attachment" in response.get("Content-Disposition", "")
        if (signed_in or download) and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response
