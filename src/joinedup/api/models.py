"""Personal API tokens: what an analyst's spreadsheet or dashboard signs in with.

Like a survey link (surveys/tokens.py), a token is a random 256-bit secret
shown to its owner once; only its SHA-256 hash is stored, so nobody, not even
someone reading the database, can rebuild it. The first few characters are
kept as a `prefix` so that people can tell their tokens apart in a list.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX_LENGTH = 6


def default_expiry() -> datetime:
    """The latest a token may work until: API_TOKEN_DAYS from now."""
    return timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(models.Model):
    """One person's token for the read-only API; it sees what its owner may see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token stops working by itself: a forgotten one in an old
    # spreadsheet does not give access for ever.
    expires_at = models.DateTimeField(default=default_expiry)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def has_expired(self) -> bool:
        return self.revoked_at is None and self.expires_at <= timezone.now()
