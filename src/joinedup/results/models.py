"""The audit log of downloads, and the result files kept once they are made.

`Download`: who took which file of which round, and when.
`RoundFile`: a closed round's PDF report or Excel workbook, made in the worker
and kept under a key of everything it was made from (see `files.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from joinedup.partnerships.models import Partnership
from joinedup.surveys.models import Round


class Download(models.Model):
    """One download of a result file (a page view is not logged; a file is)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, null=True, blank=True)
    what = models.CharField(max_length=40)
    via = models.CharField(max_length=10, default="web")  # web or api
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} downloaded {self.what} at {self.at:%Y-%m-%d %H:%M}"


class FileStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for the worker"
    MAKING = "making", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class RoundFile(models.Model):
    """One slow download of one round (PDF or workbook), made once per key and kept.

    There is one row per round and format: when anything the file is made
    from changes (the result, the action plan, sectors, names, the code that
    writes it), `key` no longer matches and the row is made again in place,
    so an out-of-date file never lingers. It holds only what the round's
    results pages already show its members. Deleting the round (or its
    partnership) deletes it; `joinedup manage erase_expired` erases files
    made long ago (they are made again when asked for).
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10)  # a key of results.services.FORMATS
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=FileStatus.choices, default=FileStatus.WAITING)
    content = models.BinaryField(null=True, blank=True)
    # A plain sentence for the person waiting, never a traceback.
    reason = models.TextField(blank=True, default="")
    requested_at = models.DateTimeField()
    made_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="one_kept_file_per_round_format")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of round {self.round_id}: {self.status}"
