"""The worker's schedule: each daily job queued once a day, however many workers look."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from joinedup.surveys.tasks import send_invitation_email
from joinedup.worker import schedule
from joinedup.worker.tasks import recover

from .worker import run_worker, task_queue  # noqa: F401

pytestmark = pytest.mark.usefixtures("task_queue")
LONDON = ZoneInfo("Europe/London")


def _at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2027, 3, day, hour, 5, tzinfo=LONDON)


def _queued() -> list[str]:
    return list(DBTaskResult.objects.values_list("task_path", flat=True))


DAILY = ["erase_expired", "remind_overdue"]


def test_the_daily_jobs_are_queued_once_a_day_from_the_set_hour(db, settings) -> None:
    settings.DAILY_JOBS_HOUR = 7
    assert schedule.tick(_at(10, 6)) == []  # too early
    assert sorted(schedule.tick(_at(10, 7))) == DAILY
    # Every other worker looking the same day (or the same one a minute later) queues nothing.
    assert schedule.tick(_at(10, 7)) == [] and schedule.tick(_at(10, 23)) == []
    assert sorted(_queued()) == [
        "joinedup.worker.tasks.erase_expired",
        "joinedup.worker.tasks.remind_overdue_actions",
    ]
    assert sorted(schedule.tick(_at(11, 8))) == DAILY
    assert len(_queued()) == 4
    run_worker()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_task_a_dead_worker_left_running_is_queued_again(db, settings) -> None:
    settings.TASK_LEASE_SECONDS = 60
    send_invitation_email.enqueue(12345)
    row = DBTaskResult.objects.get()
    row.claim("a worker that was then killed")
    assert recover() == 0  # still within its lease
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=row.started_at - datetime.timedelta(seconds=61)
    )
    assert recover() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    copy = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert copy.status == TaskResultStatus.READY and copy.args_kwargs["args"] == [12345]
    assert recover() == 0


def test_the_daily_retention_sweep_erases_what_is_past_its_keeping_time(db, settings) -> None:
    """Retention needs no cron line: the worker's daily job erases old download-log entries."""
    from django.utils import timezone

    from joinedup.accounts.models import User
    from joinedup.partnerships.models import Partnership
    from joinedup.results.models import Download
    from joinedup.results.retention import AUDIT_LOG_DAYS

    user = User.objects.create_user("keeper@example.org", "a long enough password")
    partnership = Partnership.objects.create(name="Retention")
    old = Download.objects.create(user=user, partnership=partnership, what="pdf", via="web")
    new = Download.objects.create(user=user, partnership=partnership, what="pdf", via="web")
    Download.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=AUDIT_LOG_DAYS + 1)
    )
    settings.DAILY_JOBS_HOUR = 7
    assert "erase_expired" in schedule.tick(_at(12, 9))
    run_worker()
    assert list(Download.objects.values_list("pk", flat=True)) == [new.pk]
