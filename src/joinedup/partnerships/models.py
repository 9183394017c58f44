"""A partnership, its member organisations, and each person's role in it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from joinedup.instrument import load_instrument

SECTOR_CHOICES = [(s.code, s.label) for s in load_instrument().sectors]


class Partnership(models.Model):
    """A group of organisations working together in a place."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    min_group_size = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(3), MaxValueValidator(50)]
    )
    # SPEC §4.4 (revision 2): one person's ratings would be their own answers.
    min_tie_raters = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(2), MaxValueValidator(50)]
    )
    min_text_group_size = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(3), MaxValueValidator(200)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phrase(self) -> str:
        """The name followed by "partnership", unless it already ends with that word.

        "Northshire partnership survey", but "Northshire Together Partnership
        survey", never "... Partnership partnership survey".
        """
        name = self.name.strip()
        words = name.split()
        if words and words[-1].casefold() == "partnership":
            return name
        return f"{name} partnership"


class Organisation(models.Model):
    """A member organisation of a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=32, choices=SECTOR_CHOICES)
    budget_gap_pct = models.FloatField("budget gap (%)", null=True, blank=True)
    demand_growth_pct = models.FloatField("demand growth (%)", null=True, blank=True)
    vacancy_rate_pct = models.FloatField("vacancy rate (%)", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "partnership", Lower("name"), name="organisation_name_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    VIEWER = "viewer", "Viewer"


ROLE_HINTS = {
    Role.FACILITATOR: "Runs the partnership: sets it up, runs survey rounds and reads results.",
    Role.PARTNER_LEAD: "Manages their own organisation's invitations and reads results.",
    Role.VIEWER: "Reads results and reports, for example a board member.",
}


class Membership(models.Model):
    """A person's role in one partnership. No membership, no access."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="For a partner lead: the organisation whose invitations they manage.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint("partnership", "user", name="one_membership_per_partnership")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.partnership}"
