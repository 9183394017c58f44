"""Personal data is kept only as long as needed: the downloads log for two years."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from joinedup.results.models import Download
from joinedup.results.retention import AUDIT_LOG_DAYS


def test_downloads_log_entries_older_than_two_years_are_erased(world) -> None:
    now = timezone.now()
    for days in (AUDIT_LOG_DAYS + 1, AUDIT_LOG_DAYS - 1, 0):
        entry = Download.objects.create(user=world.alice, partnership=world.partnership, what="pdf")
        Download.objects.filter(pk=entry.pk).update(at=now - datetime.timedelta(days=days))
    out = io.StringIO()
    call_command("erase_expired", stdout=out)
    assert "1 downloads-log entry erased." in out.getvalue()
    ages = sorted((now - d.at).days for d in Download.objects.all())
    assert ages == [0, AUDIT_LOG_DAYS - 1]
