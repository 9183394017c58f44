"""Rounds, invitations, drafts and responses.

Anonymity is a property of this schema (see docs/privacy.md):
- an `Invitation` knows an e-mail address and a token hash, and whether it
  is done, but not which response is its own;
- a `Draft` lives under a token hash while someone answers and is deleted
  when they submit;
- a `Response` has a random id, its round, organisation, channel and
  answers (its ratings of partners among them), and nothing else: no
  invitation, no e-mail address, no timestamps;
- when a round closes, its reporting units are fixed for good
  (`ReportingUnit`, `RoundOrganisation`, `Response.unit`), its responses are
  stored afresh in random order with new ids, and its invitations (e-mail
  addresses), open links and drafts are erased, leaving counts.

An organisation answers a round through one channel only (see
`channels.py`), so a response's channel says nothing its organisation does
not already say.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from joinedup.partnerships.models import Organisation, Partnership


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    # The close was asked for and runs in the worker: no new answers are taken.
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"


class Channel(models.TextChoices):
    """How an organisation's people answer a round: one of these, never two."""

    INVITATION = "invitation", "Private invitations"
    OPEN_LINK = "open_link", "An open link"
    IMPORT = "import", "Imported answers"


class Round(models.Model):
    """One survey round of a partnership: draft, then open, then closed for good."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="rounds")
    label = models.CharField(max_length=100)
    instrument = models.CharField(max_length=20, default="tpd-1")
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The day the facilitator plans to close the round, for "12 days left".
    # Nothing closes by itself on that day: a facilitator closes the round.
    closes_on = models.DateField("planned closing date", null=True, blank=True)
    # The joinedup.analysis/1 result, computed once when the round closes.
    result = models.JSONField(null=True, blank=True, editable=False)
    # The SPEC revision whose rules made `result` (null: revision 1, before it
    # was recorded). Kept here because the result's schema has no place for it.
    result_revision = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Why the last close failed (the round is open again), for the round page.
    close_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["partnership", "created_at", "id"]
        constraints = [models.UniqueConstraint("partnership", "label", name="round_label_unique")]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.label}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class SendDue(models.TextChoices):
    """The e-mail an invitation is owed, until the mail server has accepted it."""

    NOTHING = "", "Nothing"
    INVITATION = "invite", "The invitation"
    REMINDER = "remind", "A reminder"


class Invitation(models.Model):
    """A private survey link sent to one person. Only token hashes are stored.

    Every link ever e-mailed to the person is an `InvitationToken` and works
    until the round closes. `token_hash` is the key the person's draft is kept
    under: the first e-mailed token's hash (so that link is found in one
    query), or, before any e-mail went, a hash of a token nobody was given.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(default=False)
    # Sending, done by the worker (`sending.py`): what is owed, how many tries
    # failed and why (the mail server's words), and when a worker took it on
    # (a worker killed mid-send leaves this, and another retries after a lease).
    send_due = models.CharField(max_length=6, choices=SendDue.choices, blank=True, default="")
    send_attempts = models.PositiveSmallIntegerField(default=0)
    send_error = models.CharField(max_length=300, blank=True)
    send_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "email"]
        constraints = [
            models.UniqueConstraint("round", "email", name="one_invitation_per_person_per_round")
        ]
        # Invitations still owed an e-mail are few among many: the health
        # endpoint counts them on every probe.
        indexes = [
            models.Index(
                fields=["send_due"], name="invitation_send_owed", condition=~models.Q(send_due="")
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"


class InvitationToken(models.Model):
    """The hash of one link e-mailed to an invited person: each works until the round closes."""

    # No database constraint (Django still cascades): PostgreSQL's check of
    # each of a large round's invitations as the close deleted them took a
    # second and a half. Only `sending.send_one` adds tokens, with the
    # invitation's row locked, and `closing.erase_after_close` deletes the
    # round's invitations before their tokens, so none is left behind.
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="tokens", db_constraint=False
    )
    token_hash = models.CharField(max_length=64, unique=True)


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


class ReportingUnit(models.Model):
    """A reporting unit exactly as a round published it when it closed (SPEC §3.5).

    Fixed at close and never recomputed: renaming, removing or re-importing
    organisations, or changing the thresholds, cannot move anyone between
    units afterwards. `index` is the unit's place in the stored result's
    `units`; `name` is the name it was published under.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reporting_units")
    index = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    combined = models.BooleanField()

    class Meta:
        ordering = ["round", "index"]
        constraints = [models.UniqueConstraint("round", "index", name="one_unit_per_index")]

    def __str__(self) -> str:
        return self.name


class RoundOrganisation(models.Model):
    """A member organisation as a closed round saw it: its unit and its counts.

    Keyed by the organisation's id, with the name it had at close. `unit` is
    None for an organisation nobody answered for (or when the round had too
    few answers for any result). `invited` and `finished` keep the counts the
    erased invitations gave.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="closed_organisations")
    # RESTRICT: an organisation a closed round counted stays (reasons_to_keep
    # says why); a deleted partnership takes both together.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.RESTRICT, related_name="closed_round_entries"
    )
    name = models.CharField(max_length=200)
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="members"
    )
    invited = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["round", "name"]
        constraints = [
            models.UniqueConstraint(
                "round", "organisation", name="one_closed_entry_per_organisation"
            )
        ]


class ClosedLink(models.Model):
    """The hash of a link whose round has closed: only so that the link says so.

    Kept in place of the erased invitations, open links and drafts. It holds no
    address and no organisation, and the responses were stored afresh at close,
    so it joins to nothing but its round.
    """

    # The hash is the key: one index, not three, for the 125,000 rows a large
    # round's close writes (surveys 0017).
    token_hash = models.CharField(max_length=64, primary_key=True)
    # No database constraint (Django still cascades): only the close writes
    # these, for its own round, and PostgreSQL checked each one at commit. No
    # index either: a link is found by its hash; only deleting a round looks
    # for its links by round, rarely, and a scan does.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )


class Response(models.Model):
    """One person's submitted answers: anonymous by construction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Neither the round nor the organisation has a database constraint
    # (Django still cascades and restricts): PostgreSQL checking both for each
    # of a large round's 100,000 rows stored afresh at close cost a third of
    # that statement. What the constraints guarded, the round's row lock does:
    # every writer of a response holds it (`submit_draft`, `import_files`,
    # the close), and whatever deletes a round or an organisation takes it
    # first (`delete_round`, `delete_partnership`, `remove_organisation`), so
    # a response is never written for one that is going.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", db_constraint=False
    )
    # RESTRICT: removing an organisation must not take answers out of a round
    # (and so out of a published unit); a deleted round or partnership takes them.
    organisation = models.ForeignKey(Organisation, on_delete=models.RESTRICT, db_constraint=False)
    # The reporting unit the closed round put this response in; None while open.
    # No database constraint (Django still cascades): only the close writes it,
    # with units made in the same transaction, and PostgreSQL's check of each
    # of a large round's 100,000 new rows at commit was a third of the commit
    # (see docs/operations.md, "Closing a large round"). No index either: it is
    # only ever read with its round, whose index finds the rows.
    unit = models.ForeignKey(
        ReportingUnit, on_delete=models.CASCADE, null=True, blank=True,
        related_name="responses", db_constraint=False, db_index=False,
    )  # fmt: skip
    role = models.CharField(max_length=20, blank=True)
    # Statement code -> 1..5, or None for "Don't know".
    answers = models.JSONField(default=dict)
    text_important = models.TextField(blank=True)
    text_sideshow = models.TextField(blank=True)
    text_other = models.TextField(blank=True)
    # The respondent's ratings of their partners, one entry per partner in
    # the order of the partners' ids: {"partner": organisation id, "contact":
    # 1..n or None, and each relationship question's code: 1..5 or None}.
    # Kept in the response's own row, not a row each, so that closing a round
    # stores afresh one row per respondent (`closing.store_afresh`): a large
    # round has ten times as many ratings as responses. A partner's id is not
    # a database reference: `partnerships.services.reasons_to_keep` keeps an
    # organisation its partners rated, as RESTRICT did (`ratings_of_partner`).
    ratings = models.JSONField(default=list, blank=True)
    # Responses imported from a file keep the file's respondent_id, so that
    # a re-import can be checked; survey responses have none.
    imported_id = models.CharField(max_length=200, blank=True)
    # How the answers arrived. The same for every response of an organisation
    # in a round (one channel each), so it identifies nobody; it lets every
    # member see how many answers came through open links.
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.INVITATION)

    class Meta:
        # Random ids: the order of rows says nothing about the order of submission.
        ordering = ["id"]


class AuditWhat(models.TextChoices):
    OPEN_LINK_MADE = "open_link_made", "Made an open link"
    OPEN_LINK_ANSWERS = "open_link_answers", "Answers through the open link"
    IMPORTED = "imported", "Imported answers"


class AuditEntry(models.Model):
    """One entry of a round's audit log: who opened a way in for an organisation, and its use.

    Answers through an open link are never one entry each: they are counted
    in one entry per organisation per day (`at` is midnight UTC, `count`
    grows), so no entry can be lined up with a response by time or by order.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="audit_entries")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    # Nobody for answers (the respondent is anonymous); the facilitator otherwise.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    what = models.CharField(max_length=20, choices=AuditWhat.choices)
    count = models.PositiveIntegerField(default=1)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "at"],
                condition=models.Q(what="open_link_answers"),
                name="one_open_link_answer_count_per_day",
            )
        ]
