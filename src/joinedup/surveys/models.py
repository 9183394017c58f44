"""Rounds, invitations, drafts and responses.

Anonymity is a property of this schema (see docs/privacy.md):
- an `Invitation` knows an e-mail address and a token hash, and whether it
  is done, but not which response is its own;
- a `Draft` lives under a token hash while someone answers and is deleted
  when they submit;
- a `Response` has a random id, its round, organisation and answers, and
  nothing else: no invitation, no e-mail address, no timestamps.
"""

from __future__ import annotations

import uuid

from django.db import models

from joinedup.partnerships.models import Organisation, Partnership


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Round(models.Model):
    """One survey round of a partnership: draft, then open, then closed for good."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="rounds")
    label = models.CharField(max_length=100)
    instrument = models.CharField(max_length=20, default="tpd-1")
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The joinedup.analysis/1 result, computed once when the round closes.
    result = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["partnership", "created_at", "id"]
        constraints = [models.UniqueConstraint("partnership", "label", name="round_label_unique")]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.label}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Invitation(models.Model):
    """A private survey link sent to one person. Only the token's hash is stored."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    # After a reminder (which carries a fresh token), the earlier link still works.
    previous_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["organisation__name", "email"]
        constraints = [
            models.UniqueConstraint("round", "email", name="one_invitation_per_person_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"


class OpenLink(models.Model):
    """A link for one organisation that anyone in it may use (for staff lists we can't have)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="open_links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Unusual bursts, for the facilitator: starts and sendings refused because
    # one address went past the open-link limits (counts only: no who or when).
    refused_starts = models.PositiveIntegerField(default=0)
    refused_submissions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint("round", "organisation", name="one_open_link_per_organisation")
        ]


class Draft(models.Model):
    """Answers in progress, kept under a token hash so that a person can resume.

    Deleted when the answers are submitted, and when the round closes.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="drafts")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)


class Response(models.Model):
    """One person's submitted answers: anonymous by construction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, blank=True)
    # Statement code -> 1..5, or None for "Don't know".
    answers = models.JSONField(default=dict)
    text_important = models.TextField(blank=True)
    text_sideshow = models.TextField(blank=True)
    text_other = models.TextField(blank=True)
    # Responses imported from a file keep the file's respondent_id, so that
    # a re-import can be checked; survey responses have none.
    imported_id = models.CharField(max_length=200, blank=True)

    class Meta:
        # Random ids: the order of rows says nothing about the order of submission.
        ordering = ["id"]


class Rating(models.Model):
    """A respondent's ratings of one partner organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    contact = models.PositiveSmallIntegerField(null=True, blank=True)
    reliable = models.PositiveSmallIntegerField(null=True, blank=True)
    open = models.PositiveSmallIntegerField(null=True, blank=True)
    purpose = models.PositiveSmallIntegerField(null=True, blank=True)
    resources = models.PositiveSmallIntegerField(null=True, blank=True)
    influence = models.PositiveSmallIntegerField(null=True, blank=True)
    involved = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("response", "partner", name="one_rating_per_partner")
        ]
