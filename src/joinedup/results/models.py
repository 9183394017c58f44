"""The audit log of downloads: who took which file of which round, and when."""

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
