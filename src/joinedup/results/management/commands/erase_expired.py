"""`joinedup manage erase_expired`: erase personal data past its keeping time (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from joinedup.results.retention import (
    AUDIT_LOG_DAYS,
    KEPT_FILE_DAYS,
    erase_expired_downloads,
    erase_old_files,
)


class Command(BaseCommand):
    help = (
        f"Erase downloads-log entries older than {AUDIT_LOG_DAYS} days, and kept result "
        f"files (PDF, workbook) made over {KEPT_FILE_DAYS} days ago."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        erased = erase_expired_downloads()
        self.stdout.write(f"{erased} downloads-log entr{'y' if erased == 1 else 'ies'} erased.")
        files = erase_old_files()
        self.stdout.write(f"{files} kept result file{'' if files == 1 else 's'} erased.")
