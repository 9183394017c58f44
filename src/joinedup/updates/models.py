"""Who chose to receive the weekly update, and which updates were sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from joinedup.partnerships.models import Partnership


class Subscription(models.Model):
    """A person has chosen the weekly update for one partnership.

    No row, no e-mail: the update is off until someone opts in. Unsubscribing
    deletes the row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="update_subscriptions"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="update_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "partnership", name="one_subscription_per_partnership")
        ]


class SentUpdate(models.Model):
    """One person's update for one partnership in one ISO week, claimed before it is sent.

    The unique row is what makes sending idempotent: a task run twice (a
    worker restarted, the job queued twice) finds the row and sends nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # "2026-W48"
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "user", "partnership", "week", name="one_update_per_person_per_week"
            )
        ]
