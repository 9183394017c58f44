"""Template context available on every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from joinedup.outbox.services import outbox_active

    return {"site_name": settings.SITE_NAME, "outbox_active": outbox_active()}
