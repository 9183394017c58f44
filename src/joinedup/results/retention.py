"""How long the downloads audit log is kept (UK GDPR storage limitation).

An entry names a person and what they took; two years covers the yearly
round cycle and a review of the one before it. Older entries are erased by
`joinedup manage erase_expired` (run daily).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Download

AUDIT_LOG_DAYS = 730


def erase_expired_downloads(now: datetime.datetime | None = None) -> int:
    """Delete audit-log entries older than AUDIT_LOG_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=AUDIT_LOG_DAYS)
    deleted, _ = Download.objects.filter(at__lt=cutoff).delete()
    return deleted
