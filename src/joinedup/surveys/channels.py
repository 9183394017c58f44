"""One way in per organisation per round, and a round's counts by organisation.

Why one channel: if an organisation could answer both through private
invitations and through an open link (or an import), someone who knows that
one real person has answered could add four made-up answers, lift the
organisation to the minimum group size, and subtract their own answers from
the published figures to get that person's. So an organisation answers a
round through exactly one channel.

The rule (docs/privacy.md §7.2 says the same):

- An organisation's channel in a round is set by the first of: a private
  invitation for someone in it (even in a draft round), an open link for it,
  or imported answers for it.
- After that the other two are refused for that organisation in that round,
  even if nobody has answered yet: whoever holds an invitation or the open
  link can answer at any time, and neither can be taken back.
- More of the same channel is always allowed: more invitations, a new open
  link that replaces the old one, another import with new respondent ids.

The counts on the round page come from here too: one `GROUP BY organisation`
per table, filtered by the round, never a join of invitations with responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from joinedup.partnerships.models import Organisation

from .errors import SurveyError
from .models import (
    AuditEntry,
    AuditWhat,
    Channel,
    Invitation,
    OpenLink,
    Response,
    Round,
    RoundStatus,
    SendDue,
)

# "X already answers through ..." and "so ..." for each channel.
THROUGH = {
    Channel.INVITATION: "private invitations",
    Channel.OPEN_LINK: "an open link",
    Channel.IMPORT: "imported answers",
}
REFUSED = {
    Channel.INVITATION: "nobody from it can be invited privately as well",
    Channel.OPEN_LINK: "it cannot have an open link as well",
    Channel.IMPORT: "answers for it cannot be imported as well",
}
WHY = (
    "Each organisation answers a round one way only, so that nobody can add made-up "
    "answers beside real ones and work out a person's answers from the difference."
)


def channels_in_use(
    survey_round: Round, organisation_ids: list[int] | None = None
) -> dict[int, frozenset[Channel]]:
    """The channels each organisation already answers this round through (absent: none yet).

    Usually one each; a round stored before the rule existed may show more.
    """
    invitations = Invitation.objects.filter(round=survey_round)
    links = OpenLink.objects.filter(round=survey_round)
    responses = Response.objects.filter(round=survey_round)
    if organisation_ids is not None:
        invitations = invitations.filter(organisation_id__in=organisation_ids)
        links = links.filter(organisation_id__in=organisation_ids)
        responses = responses.filter(organisation_id__in=organisation_ids)
    found: dict[int, set[Channel]] = {}
    for organisation_id in (
        invitations.order_by().values_list("organisation_id", flat=True).distinct()
    ):
        found.setdefault(organisation_id, set()).add(Channel.INVITATION)
    for organisation_id in links.values_list("organisation_id", flat=True):
        found.setdefault(organisation_id, set()).add(Channel.OPEN_LINK)
    pairs = responses.order_by().values_list("organisation_id", "channel").distinct()
    for organisation_id, channel in pairs:
        found.setdefault(organisation_id, set()).add(Channel(channel))
    return {key: frozenset(value) for key, value in found.items()}


def refusal(organisation: Organisation, in_use: frozenset[Channel], wanted: Channel) -> str | None:
    """Why `organisation` cannot take answers through `wanted`, or None when it can."""
    others = sorted(in_use - {wanted})
    if not others:
        return None
    through = " and ".join(THROUGH[Channel(c)] for c in others)
    return (
        f"{organisation.name} already answers through {through} in this round, "
        f"so {REFUSED[wanted]}. {WHY}"
    )


def refusals(
    survey_round: Round, organisations: list[Organisation], wanted: Channel
) -> dict[int, str]:
    """For each of `organisations` that cannot take `wanted`: why, by organisation id."""
    unique = {o.pk: o for o in organisations}
    in_use = channels_in_use(survey_round, list(unique))
    found = {}
    for pk, organisation in unique.items():
        reason = refusal(organisation, in_use.get(pk, frozenset()), wanted)
        if reason is not None:
            found[pk] = reason
    return found


def open_link_options(
    survey_round: Round, organisations: list[Organisation]
) -> list[dict[str, Any]]:
    """For the open-link page: each organisation, whether it has a link, and what else it uses."""
    in_use = channels_in_use(survey_round, [o.pk for o in organisations])
    options = []
    for organisation in organisations:
        used = in_use.get(organisation.pk, frozenset())
        others = sorted(used - {Channel.OPEN_LINK})
        options.append(
            {
                "organisation": organisation,
                "has_link": Channel.OPEN_LINK in used,
                "other": [THROUGH[Channel(c)] for c in others],
            }
        )
    return options


def lock(organisations: list[Organisation], survey_round: Round) -> None:
    """Lock these organisations' rows until the transaction ends; refuse if acting is too late.

    Two facilitators choosing different channels for one organisation at the
    same moment would each pass the check; holding the organisation's row
    makes the second wait and then see the first's choice. The round's row
    is not used: answers being sent lock it, and a long batch of invitations
    must not hold them up. Rows are locked in id order, so that two batches
    cannot deadlock. Call inside `transaction.atomic`.

    Then what the caller saw before waiting is looked at again, under the
    locks (`SurveyError` if it changed, and nothing is added):
    - the round, which may have begun closing: a close locks every
      organisation of its partnership before it erases the round's
      invitations, links and drafts, so a close that began earlier has
      either committed (and would never erase what is added now) or is
      marked "closing" and waits for these rows; a close asked for later
      erases what is added now with the rest;
    - the organisations, one of which may have been removed (responses have
      no database constraint on their organisation to stop them).
    """
    ids = sorted({o.pk for o in organisations})
    locked = Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    present = set(locked.values_list("pk", flat=True))
    status = Round.objects.filter(pk=survey_round.pk).values_list("status", flat=True).first()
    if status is None:
        raise SurveyError("This round has been deleted: nothing was added to it.")
    if status in (RoundStatus.CLOSING, RoundStatus.CLOSED):
        raise SurveyError("This round is closed: nothing more can be added to it.")
    if gone := sorted({o.name for o in organisations if o.pk not in present}):
        raise SurveyError(
            f"{gone[0]} was removed from the partnership meanwhile: nothing was added."
        )


# ----------------------------------------------------------------- counts


def invitation_counts(survey_round: Round) -> dict[int, dict[str, int]]:
    """By organisation id: the round's invitations counted every way a page shows them.

    One pass over the round's invitations (a round may hold 100,000) serves
    both the counts by organisation and the sending progress
    (`sending.sending_progress`). Counts only, never who.
    """
    waiting = ~Q(send_due="")
    grouped = (
        Invitation.objects.filter(round=survey_round)
        .order_by()
        .values("organisation_id")
        .annotate(
            total=Count("pk"),
            not_sent=Count("pk", filter=Q(sent_at__isnull=True)),
            waiting=Count("pk", filter=waiting),
            invitations_owed=Count("pk", filter=Q(send_due=SendDue.INVITATION)),
            stopped=Count("pk", filter=waiting & Q(send_attempts__gte=settings.SEND_ATTEMPTS)),
            never_sent=Count("pk", filter=Q(sent_at__isnull=True, send_due="")),
            with_reason=Count("pk", filter=waiting & ~Q(send_error="")),
        )
    )
    return {group.pop("organisation_id"): group for group in grouped}


@dataclass
class OrganisationProgress:
    """One organisation's progress in a round: counts only, never who."""

    organisation: Organisation
    invited: int = 0
    not_sent: int = 0
    has_open_link: bool = False
    open_links_made: int = 0
    answers: dict[str, int] = field(default_factory=dict)

    @property
    def responses(self) -> int:
        return sum(self.answers.values())

    @property
    def through_invitations(self) -> int:
        return self.answers.get(Channel.INVITATION, 0)

    @property
    def through_open_link(self) -> int:
        return self.answers.get(Channel.OPEN_LINK, 0)

    @property
    def imported(self) -> int:
        return self.answers.get(Channel.IMPORT, 0)

    @property
    def channels(self) -> list[str]:
        """The channels in use, in words ("Not started" when none)."""
        used = set(self.answers)
        if self.invited:
            used.add(Channel.INVITATION)
        if self.has_open_link:
            used.add(Channel.OPEN_LINK)
        return [label for value, label in Channel.choices if value in used]


@dataclass
class RoundProgress:
    """A round's counts by organisation, and their totals."""

    rows: list[OrganisationProgress]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def invited(self) -> int:
        return self.total("invited")

    @property
    def responses(self) -> int:
        return self.total("responses")

    @property
    def through_open_links(self) -> int:
        return self.total("through_open_link")

    @property
    def open_links_made(self) -> int:
        return self.total("open_links_made")

    @property
    def open_link_organisations(self) -> int:
        return sum(1 for row in self.rows if row.has_open_link)

    def __iter__(self) -> Any:
        return iter(self.rows)


def progress_by_organisation(
    survey_round: Round, invitations: dict[int, dict[str, int]] | None = None
) -> RoundProgress:
    """Invited, not yet sent, and answers by channel, for each of the partnership's organisations.

    Five small queries whatever the size of the round: each table is grouped
    by organisation and filtered by this round alone. `invitations`: the
    round's `invitation_counts`, when the caller has them already.
    """
    rows = {
        o.pk: OrganisationProgress(o)
        for o in survey_round.partnership.organisations.order_by("name", "pk")
    }
    for organisation_id, counts in (
        invitation_counts(survey_round) if invitations is None else invitations
    ).items():
        if organisation_id in rows:
            row = rows[organisation_id]
            row.invited, row.not_sent = counts["total"], counts["not_sent"]
    # A closed round's invitations are erased at close; the counts were kept.
    for kept in survey_round.closed_organisations.order_by().values("organisation_id", "invited"):
        if kept["organisation_id"] in rows:
            rows[kept["organisation_id"]].invited = kept["invited"]
    answers = (
        Response.objects.filter(round=survey_round)
        .order_by()
        .values("organisation_id", "channel")
        .annotate(answers=Count("pk"))
    )
    for group in answers:
        if group["organisation_id"] in rows:
            rows[group["organisation_id"]].answers[group["channel"]] = group["answers"]
    for organisation_id in OpenLink.objects.filter(round=survey_round).values_list(
        "organisation_id", flat=True
    ):
        if organisation_id in rows:
            rows[organisation_id].has_open_link = True
    made = (
        AuditEntry.objects.filter(round=survey_round, what=AuditWhat.OPEN_LINK_MADE)
        .order_by()
        .values("organisation_id")
        .annotate(made=Count("pk"))
    )
    for group in made:
        if group["organisation_id"] in rows:
            rows[group["organisation_id"]].open_links_made = group["made"]
    return RoundProgress(list(rows.values()))
