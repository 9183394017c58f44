"""The action plan: actions under the three actions, their dated updates, and calendar feeds.

An `Action` is one thing the partnership has agreed to do between rounds,
under one of the three actions (SPEC §5), with a success measure that the
next closed round checks ("TRUST at least 60"). Its `ActionUpdate`s are the
dated record of what happened. A `CalendarFeed` lets one person's calendar
app read the plan's due dates without a session: only its token's hash is kept.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from joinedup.analysis.vocabulary import FLAGS
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.surveys.models import Round


class Area(models.TextChoices):
    """The three actions leaders take (SPEC §5); pages use the titles in recommendations.toml."""

    CONVERSATIONS = "conversations", "The right conversations"
    RELATIONSHIPS = "relationships", "The right relationships"
    COMMITMENT = "commitment", "Bringing the organisation to bear"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STALLED = "stalled", "Stalled"


# GOV.UK tag colours
STATUS_COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.IN_PROGRESS: "blue",
    Status.DONE: "green",
    Status.STALLED: "orange",
}


class Comparison(models.TextChoices):
    # "At most" is for the scales where higher is worse (STRAIN, SURVIVAL).
    AT_LEAST = "at_least", "at least"
    AT_MOST = "at_most", "at most"


class Action(models.Model):
    """One action in a partnership's plan, tracked between survey rounds."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    area = models.CharField(max_length=20, choices=Area.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # RESTRICT: an organisation with actions cannot be removed on its own
    # (partnerships.services.reasons_to_keep says so), but a deleted
    # partnership takes its organisations and actions together.
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The organisation responsible; its partner lead may update the action.",
    )
    lead = models.CharField("named lead", max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # Scale codes (SPEC §1.1) the action is meant to move.
    scales = models.JSONField(default=list, blank=True)
    # The success measure: "<scale> <comparison> <target> next round", or none at all.
    measure_scale = models.CharField(max_length=20, blank=True)
    measure_comparison = models.CharField(max_length=10, choices=Comparison.choices, blank=True)
    measure_target = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    started_from = models.ForeignKey(
        Round,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="started_actions",
        help_text="The closed round whose results the action responds to.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The local date of the last overdue reminder: at most one a day.
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        # Undated actions last, on SQLite as on PostgreSQL.
        ordering = [models.F("due_date").asc(nulls_last=True), "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(measure_scale="", measure_comparison="", measure_target__isnull=True)
                    | (
                        ~models.Q(measure_scale="")
                        & ~models.Q(measure_comparison="")
                        & models.Q(measure_target__gte=0, measure_target__lte=100)
                    )
                ),
                name="action_measure_complete_or_absent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[Status(self.status)]

    @property
    def has_measure(self) -> bool:
        return bool(self.measure_scale) and self.measure_target is not None

    def is_overdue(self, today: datetime.date) -> bool:
        """Past its due date and not done (a stalled action can be overdue too)."""
        return self.due_date is not None and self.due_date < today and self.status != Status.DONE


class ActionUpdate(models.Model):
    """A dated note on an action's progress, with the change of status it made, if any."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(blank=True)
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.created_at:%Y-%m-%d}"

    @property
    def changed_status(self) -> bool:
        return bool(self.status_after) and self.status_after != self.status_before


class CalendarFeed(models.Model):
    """One person's secret calendar link for one partnership's plan (only the hash is kept)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("partnership", "user", name="one_calendar_feed_per_person")
        ]


# ------------------------------------------------------------------ meetings


class AgendaKind(models.TextChoices):
    """What an agenda item is, for the share of meeting time on what matters (CONVERSE)."""

    WHAT_MATTERS = "what_matters", "What matters"
    SIDE_SHOW = "side_show", "Side show"
    OPERATIONAL = "operational", "Operational"


AGENDA_HINTS = {
    AgendaKind.WHAT_MATTERS: "One of the issues that matter most to the place and the partnership.",
    AgendaKind.SIDE_SHOW: "Takes partnership time but matters least: process, turf, detail.",
    AgendaKind.OPERATIONAL: "Necessary business: minutes, finance, governance, updates.",
}


class Meeting(models.Model):
    """A partnership meeting, whose agenda shows where its time went."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


class AgendaItem(models.Model):
    """One item on a meeting's agenda: how long it took, what kind it was, what was decided."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgendaKind.choices)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    decision = models.TextField("decision made", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=600),
                name="agenda_item_minutes_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.title


# ------------------------------------------------------------- commitments


class CommitmentKind(models.TextChoices):
    MONEY = "money", "Money"
    FTE = "fte", "Staff time"
    ASSETS = "assets", "Assets"
    DATA = "data", "Data"
    OTHER = "other", "Other"


# What a commitment's amounts count, by kind.
COMMITMENT_UNITS = {
    CommitmentKind.MONEY: "£",
    CommitmentKind.FTE: "FTE",
    CommitmentKind.ASSETS: "items",
    CommitmentKind.DATA: "items",
    CommitmentKind.OTHER: "items",
}


class Commitment(models.Model):
    """What an organisation pledged to the shared work, and how much of it it has delivered."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="commitments"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="commitments"
    )
    kind = models.CharField(max_length=10, choices=CommitmentKind.choices)
    description = models.CharField(max_length=200)
    pledged = models.DecimalField(max_digits=14, decimal_places=2)
    delivered = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pledged__gt=0, delivered__gte=0),
                name="commitment_amounts_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.description}"

    @property
    def unit(self) -> str:
        return COMMITMENT_UNITS[CommitmentKind(self.kind)]


# ------------------------------------------------ how we work together


class Charter(models.Model):
    """The partnership's "how we work together" charter, signed off by each organisation.

    Changing the text makes a new version: sign-offs are for one version, so
    organisations sign again what they are now agreeing to.
    """

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="charter"
    )
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.partnership} charter, version {self.version}"


class CharterSignOff(models.Model):
    """One organisation's sign-off of one version of the charter."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="sign_offs")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="charter_sign_offs"
    )
    version = models.PositiveIntegerField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "charter", "organisation", "version", name="one_sign_off_per_version"
            )
        ]


class PairFlag(models.TextChoices):
    """The relationship flags (SPEC §4.7) that call for a conversation between two partners."""

    ASYMMETRIC = "asymmetric", FLAGS["asymmetric"]
    MUTUAL_LOW_TRUST = "mutual_low_trust", FLAGS["mutual_low_trust"]


class ConversationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    NOT_HAPPENING = "not_happening", "Not happening"


class PairConversation(models.Model):
    """A planned conversation between two organisations whose relationship a round flagged."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="pair_conversations"
    )
    # Named reverse relations, so that partnerships.services.reasons_to_keep sees them.
    organisation_a = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="conversations_as_a"
    )
    organisation_b = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="conversations_as_b"
    )
    flag = models.CharField(max_length=20, choices=PairFlag.choices)
    round = models.ForeignKey(
        Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    planned_for = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ConversationStatus.choices, default=ConversationStatus.PLANNED
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation_a} and {self.organisation_b}"
