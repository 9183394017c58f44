"""The health endpoint: a load balancer's yes or no for database, cache and queue.

Failures are real: a cache pointed at a Redis port nobody listens on, and,
in a fresh process, a database that cannot be reached or has no tables.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from joinedup.site.environment import VARIABLES
from joinedup.surveys.models import Invitation, SendDue
from joinedup.worker.tasks import remind_overdue_actions
from tests.conftest import free_port

from .conftest import World
from .worker import task_queue  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]


def _health(client: Client | None = None, **extra: Any) -> tuple[int, dict[str, Any], Any]:
    response = (client or Client()).get("/health/", **extra)
    return response.status_code, json.loads(response.content), response


def test_a_healthy_site_answers_200_with_no_session_and_no_store(db: Any) -> None:
    status, body, response = _health()
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "queue": "ok"}
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie
    assert not Session.objects.exists()


def test_the_figures_count_waiting_and_failed_tasks_and_unsent_e_mail(
    world: World,
    task_queue: None,  # noqa: F811
) -> None:
    now = timezone.now()
    waiting = remind_overdue_actions.enqueue()
    DBTaskResult.objects.filter(pk=waiting.id).update(enqueued_at=now - datetime.timedelta(hours=1))
    later = remind_overdue_actions.using(run_after=now + datetime.timedelta(hours=1)).enqueue()
    assert later.id != waiting.id  # due later: not waiting yet
    for finished in (now - datetime.timedelta(hours=2), now - datetime.timedelta(days=3)):
        failed = remind_overdue_actions.enqueue()
        DBTaskResult.objects.filter(pk=failed.id).update(
            status=TaskResultStatus.FAILED, finished_at=finished
        )
    Invitation.objects.create(
        round=world.other_round, organisation=world.other.organisations.get(),
        email="someone@example.org", token_hash="b" * 64, send_due=SendDue.INVITATION,
    )  # fmt: skip
    status, body, _ = _health()
    assert status == 200
    assert body["queue"]["waiting"] == 1
    assert 3600 <= body["queue"]["oldest_waiting_seconds"] < 3700
    assert body["queue"]["failed_last_day"] == 1
    assert body["sending"] == {"owed": 1}
    # Counts only: no name, address or partnership in the answer.
    text = json.dumps(body)
    assert "example.org" not in text and "Southvale" not in text


def test_an_empty_queue_has_waited_for_nothing(db: Any) -> None:
    _, body, _ = _health()
    assert body["queue"] == {"waiting": 0, "oldest_waiting_seconds": 0, "failed_last_day": 0}


def test_a_cache_that_cannot_be_reached_fails_the_check_with_503(db: Any, settings: Any) -> None:
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/9",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    status, body, response = _health()
    assert status == 503
    assert body["status"] == "failing"
    assert body["checks"] == {"database": "ok", "cache": "failed", "queue": "ok"}
    assert str(port) not in response.content.decode()  # what failed, not the details
    assert response["Cache-Control"] == "no-store"


def test_a_load_balancer_can_ask_over_http_by_the_servers_own_address(
    db: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["joinedup.example.gov.uk"]
    status, body, _ = _health(HTTP_HOST="10.0.0.7:8001")
    assert status == 200 and body["status"] == "ok"
    # Every other page still redirects to https, or refuses an unknown host.
    assert Client().get("/sign-in/", HTTP_HOST="joinedup.example.gov.uk").status_code == 301
    assert Client().get("/sign-in/", HTTP_HOST="10.0.0.7:8001").status_code == 400


def test_the_https_redirect_exemption_is_the_health_path_only(settings: Any) -> None:
    from joinedup.site.health import PATH

    assert [f"^{PATH.lstrip('/')}$"] == settings.SECURE_REDIRECT_EXEMPT


def test_only_get_and_head_are_answered(db: Any) -> None:
    assert Client().head("/health/").status_code == 200
    refused = Client(enforce_csrf_checks=True).post("/health/")
    assert refused.status_code == 405 and refused["Allow"] == "GET, HEAD"


def test_the_health_path_is_never_rate_limited(db: Any) -> None:
    client = Client()
    assert {client.get("/health/").status_code for _ in range(60)} == {200}


# ------------------------------------------- a database that is not there, in a process of its own

_ASK = (
    "import json, django; django.setup(); from django.test import Client; "
    "r = Client().get('/health/'); print(json.dumps([r.status_code, json.loads(r.content)]))"
)


def _health_in_a_fresh_process(database_url: str) -> tuple[int, dict[str, Any]]:
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    environment |= {
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "joinedup.site.settings",
        "DATABASE_URL": database_url,
    }
    done = subprocess.run(
        [sys.executable, "-c", _ASK], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    status, body = json.loads(done.stdout.strip().splitlines()[-1])
    return status, body


def test_a_database_that_cannot_be_reached_fails_every_check() -> None:
    status, body = _health_in_a_fresh_process(
        f"postgres://joinedup@127.0.0.1:{free_port()}/joinedup?connect_timeout=2"
    )
    assert status == 503
    # The embedded cache and the queue live in the same database.
    assert body["checks"] == {"database": "failed", "cache": "failed", "queue": "failed"}
    assert "queue" not in body


def test_a_database_without_the_queue_table_fails_the_queue_check(tmp_path: Path) -> None:
    # A reachable database that was never migrated: SELECT 1 works, the rest does not.
    status, body = _health_in_a_fresh_process(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert status == 503
    assert body["checks"] == {"database": "ok", "cache": "failed", "queue": "failed"}


@pytest.mark.parametrize("path", ["/health", "/health/x/"])
def test_other_paths_are_ordinary_pages(db: Any, path: str) -> None:
    assert Client().get(path).status_code in (301, 404)


def _watch_queries() -> list[str]:
    """The SQL of docs/operations.md's "What to watch" table, in its order."""
    text = (ROOT / "docs" / "operations.md").read_text("utf-8")
    section = text.split("\n## What to watch\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    return [re.findall(r"`(SELECT [^`]+)`", row)[0] for row in rows if "SELECT" in row]


def test_the_sql_operators_are_given_agrees_with_the_endpoint(
    world: World,
    task_queue: None,  # noqa: F811
) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the page gives PostgreSQL's SQL")
    now = timezone.now()
    for age in (2, 1):
        waiting = remind_overdue_actions.enqueue()
        DBTaskResult.objects.filter(pk=waiting.id).update(
            enqueued_at=now - datetime.timedelta(hours=age)
        )
    failed = remind_overdue_actions.enqueue()
    DBTaskResult.objects.filter(pk=failed.id).update(
        status=TaskResultStatus.FAILED, finished_at=now, exception_class_path="builtins.ValueError"
    )
    Invitation.objects.create(
        round=world.other_round, organisation=world.other.organisations.get(),
        email="someone@example.org", token_hash="c" * 64, send_due=SendDue.REMINDER,
    )  # fmt: skip
    _, body, _ = _health()
    length, oldest, failures, backlog = _watch_queries()
    with connection.cursor() as cursor:
        cursor.execute(length)
        assert cursor.fetchone()[0] == body["queue"]["waiting"] == 2
        cursor.execute(oldest)
        waited = cursor.fetchone()[0].total_seconds()
        assert abs(waited - body["queue"]["oldest_waiting_seconds"]) < 60
        cursor.execute(failures)
        assert len(cursor.fetchall()) == body["queue"]["failed_last_day"] == 1
        cursor.execute(backlog)
        assert sum(count for count, _ in cursor.fetchall()) == body["sending"]["owed"] == 1
