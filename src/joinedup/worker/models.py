"""The worker's schedule: when each daily job last ran, shared by every worker."""

from __future__ import annotations

from django.db import models


class DailyJob(models.Model):
    """One daily job and the last day it was queued (the site's time zone).

    Several workers may check the schedule at the same moment; only the one
    whose update moves `last_day` to today queues the job (`schedule.tick`).
    """

    name = models.CharField(max_length=50, unique=True)
    last_day = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
