"""Tasks the schedule queues, and the recovery of tasks a dead worker left running."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus

logger = logging.getLogger(__name__)


@task()
def remind_overdue_actions() -> dict[str, Any]:
    """The daily e-mail to owners of overdue actions (also `joinedup manage remind_overdue`)."""
    from joinedup.actions.reminders import remind_overdue

    run = remind_overdue()
    return {"actions": run.actions, "sent": run.sent, "failed": run.failed}


@task()
def erase_expired() -> dict[str, str]:
    """The daily retention sweep: exactly what `joinedup manage erase_expired` does."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("erase_expired", stdout=out)
    return {"report": out.getvalue().strip()}


@task()
def queue_weekly_update() -> dict[str, int]:
    """The weekly update: one task per person who chose it (see `joinedup.updates.sending`)."""
    from joinedup.updates.tasks import queue_weekly_updates

    return queue_weekly_updates()


def recover() -> int:
    """Queue again the tasks a dead worker left "running"; returns how many.

    A worker killed mid-task (SIGKILL, a lost machine) leaves its task row
    marked running for ever. After `TASK_LEASE_SECONDS` such a task is marked
    failed and a copy is queued: every task is safe to run twice (sends are
    claimed per invitation; a close commits once; reminders of overdue
    actions are claimed per action and day). `joinedup worker` calls this when
    it starts and every minute.
    """
    from django_tasks_db.models import DBTaskResult

    stale = timezone.now() - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    again = 0
    with transaction.atomic():
        abandoned = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=stale
        )
        for row in abandoned:
            try:
                work = row.task
            except Exception:  # a task the code no longer has: leave it as it is
                logger.warning("Abandoned task %s (%s) cannot be run again", row.id, row.task_path)
                continue
            DBTaskResult.objects.filter(pk=row.pk).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path="joinedup.worker.Abandoned",
                traceback="The worker running this task stopped; a copy was queued.",
            )
            work.enqueue(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            again += 1
    return again
