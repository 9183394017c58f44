"""Running queued tasks in a test: the real database backend and its worker, in this process.

Tests elsewhere run tasks at once (tests/conftest.py). These switch to the
database backend, so that a request only queues, and then run the queued
tasks with the worker's own loop, here, in the test's transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from joinedup.worker import loop

DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def task_queue(settings: Any) -> None:
    """Tasks are queued in the database, as in production, until `run_worker`."""
    settings.TASKS = DATABASE_BACKEND


def run_worker() -> None:
    """Run every task that is due, then stop, as `joinedup worker` runs each one.

    The worker's own loop closes the database connection between tasks, which
    would end the test's transaction; so the loop is here, and each task is
    claimed, run and finished by the worker's own statements (`loop.run_one`;
    tests/test_worker_process.py runs the real worker process).
    """
    while loop.run_one("test-worker"):
        pass


def waiting_tasks() -> int:
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


def time_passes() -> None:
    """The back-off delays of the tasks waiting to be retried run out."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
