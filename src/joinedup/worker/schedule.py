"""Daily jobs, queued by whichever worker first sees a new day.

Django's tasks interface has no schedule, so the worker keeps one: every
minute each worker calls `tick`. A job is due once the site's day (TIME_ZONE)
has moved past its `DailyJob.last_day` and the hour has reached
`DAILY_JOBS_HOUR`. Moving `last_day` to today is one conditional UPDATE, so
of several workers on several machines exactly one queues the job, in the
same transaction as the update.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import DailyJob
from .tasks import erase_expired, queue_weekly_update, remind_overdue_actions

# Retention runs here too, so that nobody has to remember a cron line for it.
DAILY_JOBS = {"remind_overdue": remind_overdue_actions, "erase_expired": erase_expired}
# Weekly jobs run once on WEEKLY_UPDATE_DAY from WEEKLY_UPDATE_HOUR, claimed the same way.
WEEKLY_JOBS = {"weekly_update": queue_weekly_update}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Queue each daily job that is due; returns the names queued."""
    local = timezone.localtime(now or timezone.now())
    due = {}
    if local.hour >= settings.DAILY_JOBS_HOUR:
        due.update(DAILY_JOBS)
    if (
        DAYS.index(settings.WEEKLY_UPDATE_DAY) == local.weekday()
        and local.hour >= settings.WEEKLY_UPDATE_HOUR
    ):
        due.update(WEEKLY_JOBS)
    queued = []
    for name, job in due.items():
        try:
            with transaction.atomic():
                DailyJob.objects.get_or_create(name=name)
        except IntegrityError:  # another worker made the row at the same moment
            pass
        with transaction.atomic():
            won = (
                DailyJob.objects.filter(name=name)
                .filter(Q(last_day__isnull=True) | Q(last_day__lt=local.date()))
                .update(last_day=local.date())
            )
            if won:
                job.enqueue()
                queued.append(name)
    return queued
