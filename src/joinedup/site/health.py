"""The health endpoint a load balancer asks: are the database, cache and queue there?

`GET /health/` answers 200 when all three checks pass and 503 naming the
one that failed otherwise, with a few site-wide figures for monitoring: the
task queue's length, how long its oldest waiting task has waited, the tasks
that failed in the past day, and the invitations still owed an e-mail.
Counts only, over the whole site: nothing about any partnership or person.

It is answered by a middleware near the top of the stack, before sessions,
CSRF, sign-in and the host check: a load balancer probes without cookies,
often over plain http (the path is exempt from the https redirect, see
SECURE_REDIRECT_EXEMPT) and often by the server's own address rather than
the site's name (the response holds no link, so the Host header cannot
poison anything). No session or other per-request row is written; the
cache check writes one short-lived key and deletes it.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Case, F, Min, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

PATH = "/health/"  # also in settings.SECURE_REDIRECT_EXEMPT, without its first "/"

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def _cache() -> None:
    """A set, a get and a delete under a key of this thread's own.

    Several server processes (and threads) may check at once: a shared key
    could be overwritten between one check's set and its get.
    """
    cache = caches["default"]
    key = f"health:{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    found = cache.get(key)
    cache.delete(key)
    if found != value:
        raise RuntimeError("the cache did not return what was stored")


def _queue() -> dict[str, int | None]:
    """The task queue's figures, from django-tasks-db's table."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    # A task queued to run at once has the far-future "no date" as run_after;
    # it has waited since it was queued. Others have waited since run_after.
    waiting = DBTaskResult.objects.ready().aggregate(
        since=Min(
            Case(
                When(run_after=get_date_max(), then=F("enqueued_at")),
                default=F("run_after"),
            )
        )
    )
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=now - datetime.timedelta(days=1)
    ).count()
    since = waiting["since"]
    return {
        "waiting": DBTaskResult.objects.ready().count(),
        "oldest_waiting_seconds": max(0, int((now - since).total_seconds())) if since else 0,
        "failed_last_day": failed,
    }


def _sending() -> dict[str, int]:
    from joinedup.surveys.models import Invitation

    return {"owed": Invitation.objects.exclude(send_due="").count()}


def _run(name: str, check: Callable[[], Any], failed: list[str]) -> Any:
    """Run one check; a failure is logged here and named in the answer, never detailed there."""
    try:
        if name == "cache":
            return check()
        # A savepoint where there is a transaction, so that one failed query
        # does not spoil the connection for the checks after it.
        with transaction.atomic():
            return check()
    except Exception:
        logger.warning("health check %s failed", name, exc_info=True)
        failed.append(name)
        return None


def report() -> tuple[bool, dict[str, Any]]:
    """Whether the site is healthy, and what the endpoint says about it."""
    failed: list[str] = []
    _run("database", _database, failed)
    _run("cache", _cache, failed)
    queue = _run("queue", _queue, failed)
    sending = _run("sending", _sending, failed) if "database" not in failed else None
    # The sending figure is for monitoring: its failure alone does not take
    # the server out of the load balancer.
    healthy = not ({"database", "cache", "queue"} & set(failed))
    body: dict[str, Any] = {
        "status": "ok" if healthy else "failing",
        "checks": {
            name: "failed" if name in failed else "ok" for name in ("database", "cache", "queue")
        },
    }
    if queue is not None:
        body["queue"] = queue
    if sending is not None:
        body["sending"] = sending
    return healthy, body


def health_response(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
    else:
        healthy, body = report()
        response = HttpResponse(
            json.dumps(body, sort_keys=True) + "\n",
            content_type="application/json",
            status=200 if healthy else 503,
        )
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answer `/health/` before sessions, CSRF, sign-in and the host check run."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == PATH:
            return health_response(request)
        return self.get_response(request)
