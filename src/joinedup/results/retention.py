"""How long the downloads audit log, and the kept result files, are kept.

An audit-log entry names a person and what they took; two years covers the
yearly round cycle and a review of the one before it (UK GDPR storage
limitation). A kept PDF or workbook (`RoundFile`) names nobody, but it is a
copy of results: one made more than KEPT_FILE_DAYS ago is erased, and made
again when someone next asks for it. Both are erased by
`joinedup manage erase_expired` (run daily).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from .models import Download, RoundFile

AUDIT_LOG_DAYS = 730
KEPT_FILE_DAYS = 90


def erase_expired_downloads(now: datetime.datetime | None = None) -> int:
    """Delete audit-log entries older than AUDIT_LOG_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=AUDIT_LOG_DAYS)
    deleted, _ = Download.objects.filter(at__lt=cutoff).delete()
    return deleted


def erase_old_files(now: datetime.datetime | None = None) -> int:
    """Delete kept files made (or asked for, and never made) over KEPT_FILE_DAYS ago."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEPT_FILE_DAYS)
    old = Q(made_at__lt=cutoff) | Q(made_at__isnull=True, requested_at__lt=cutoff)
    deleted, _ = RoundFile.objects.filter(old).delete()
    return deleted
