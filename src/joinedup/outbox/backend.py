"""The e-mail backend used when no EMAIL_HOST is set: each message goes to the outbox.

A sender says which partnership a message belongs to with `site.mail.file_under`;
messages without one (password resets) are readable by site operators only.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from joinedup.site.mail import PARTNERSHIP_ATTRIBUTE

from .models import OutboxMessage


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:  # type: ignore[override]
        kept = [
            OutboxMessage(
                partnership_id=getattr(message, PARTNERSHIP_ATTRIBUTE, None),
                to="\n".join(message.recipients()),
                subject=message.subject,
                body=str(message.body),
            )
            for message in email_messages
            if message.recipients()
        ]
        OutboxMessage.objects.bulk_create(kept)
        return len(kept)
