"""The weekly update's task, run by `joinedup worker`; safe to run twice (see `sending`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import sending


@task()
def send_weekly_update(user_id: int, partnership_id: int, week: str) -> str:
    return sending.send_one(user_id, partnership_id, week)


def queue_weekly_updates() -> dict[str, int]:
    """One task per subscription; the week is fixed here, so every task claims the same one."""
    week = sending.iso_week(timezone.localdate())
    pairs = sending.subscriptions()
    for user_id, partnership_id in pairs:
        send_weekly_update.enqueue(user_id, partnership_id, week)
    return {"queued": len(pairs)}
