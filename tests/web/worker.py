"""Running queued tasks in a test: the real database backend and its worker, in this process.

Tests elsewhere run tasks at once (tests/conftest.py). These switch to the
database backend, so that a request only queues, and then run the backend's
own worker (`db_worker --batch`) here, in the test's transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def task_queue(settings: Any) -> None:
    """Tasks are queued in the database, as in production, until `run_worker`."""
    settings.TASKS = DATABASE_BACKEND


def run_worker() -> None:
    """Run every task that is due, then stop (the worker's batch mode)."""
    call_command(
        "db_worker",
        queue_name="*",
        batch=True,
        reload=False,
        startup_delay=False,
        interval=0.01,
        verbosity=0,
    )


def waiting_tasks() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


def time_passes() -> None:
    """The back-off delays of the tasks waiting to be retried run out."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
