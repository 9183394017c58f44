"""A round's audit log: open links made, answers through them, and imports.

Every member of the partnership can read it, so a partner lead sees when a
facilitator opened a way in for their organisation, and how much it was used.

Answers are anonymous, so their entries must not point at a response. An
answer through an open link is never an entry of its own: it adds one to a
count kept per organisation per day (`at` is that day's midnight, UTC). No
entry holds a response's id or the time it arrived, and because the count
is updated in place, no row's position lines up with a response's either.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.partnerships.models import Organisation

from .models import AuditEntry, AuditWhat, Round


def day_of(moment: datetime) -> datetime:
    """Midnight UTC of the day `moment` falls in: as precise as an answer's entry gets."""
    utc = moment.astimezone(UTC)
    return utc.replace(hour=0, minute=0, second=0, microsecond=0)


def record_open_link(
    survey_round: Round, organisation: Organisation, by: User | None
) -> AuditEntry:
    """Write down that `by` made (or replaced) the open link for `organisation`."""
    return AuditEntry.objects.create(
        partnership_id=survey_round.partnership_id,
        round=survey_round,
        organisation=organisation,
        user=by,
        what=AuditWhat.OPEN_LINK_MADE,
        at=timezone.now(),
    )


def count_open_link_answer(survey_round: Round, organisation: Organisation) -> None:
    """Add one to today's count of answers through `organisation`'s open link.

    Call in the transaction that stores the response, with the round's row
    locked (as `services.submit` does), so two answers cannot both create
    the day's entry.
    """
    day = day_of(timezone.now())
    counted = AuditEntry.objects.filter(
        round=survey_round, organisation=organisation, what=AuditWhat.OPEN_LINK_ANSWERS, at=day
    ).update(count=F("count") + 1)
    if not counted:
        AuditEntry.objects.create(
            partnership_id=survey_round.partnership_id,
            round=survey_round,
            organisation=organisation,
            what=AuditWhat.OPEN_LINK_ANSWERS,
            at=day,
            count=1,
        )


def record_import(
    survey_round: Round, counts: dict[Organisation, int], by: User | None
) -> list[AuditEntry]:
    """Write down that `by` imported so many answers for each organisation."""
    now = timezone.now()
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            partnership_id=survey_round.partnership_id,
            round=survey_round,
            organisation=organisation,
            user=by,
            what=AuditWhat.IMPORTED,
            at=now,
            count=count,
        )
        for organisation, count in sorted(counts.items(), key=lambda item: item[0].name)
    )


def round_log(survey_round: Round) -> QuerySet[AuditEntry]:
    """The round's audit entries, newest first."""
    return AuditEntry.objects.filter(round=survey_round).select_related("organisation", "user")
