"""An e-mail kept instead of sent, when the site has no mail server."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.partnerships.models import Partnership


class OutboxMessage(models.Model):
    """One e-mail to one or more people, as it would have been sent.

    `partnership` is the partnership the e-mail belongs to, whose facilitators
    may read it; None for e-mails that belong to no partnership (a password
    reset), which only site operators (superusers) may read.
    """

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    to = models.TextField(help_text="recipients, one per line")
    subject = models.CharField(max_length=998)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return self.to.splitlines()
