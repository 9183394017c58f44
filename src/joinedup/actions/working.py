"""How we work together: the partnership's charter, signed off by each organisation, and
planned conversations between pairs of organisations whose relationship a round flagged.

"Build the right relationships" (SPEC §5) asks partners to agree how they
work together, and to repair trust where it is weak. The charter is the
agreement; a sign-off is for one version of its text, so changing the text
asks every organisation to sign again. Pairs flagged by the network analysis
(SPEC §4.7: one-sided trust, or low trust both ways) are the conversations
to plan first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.surveys.models import Round

from .models import (
    Charter,
    CharterSignOff,
    ConversationStatus,
    PairConversation,
    PairFlag,
)
from .services import ActionError, check_day

# ------------------------------------------------------------------ charter


def save_charter(partnership: Partnership, text: str, by: User | None) -> Charter:
    """Write or change the charter; a change of text makes a new version to sign."""
    text = text.strip()
    if not text:
        raise ActionError("Write how the partnership works together.", "text")
    with transaction.atomic():
        charter = Charter.objects.select_for_update().filter(partnership=partnership).first()
        if charter is None:
            return Charter.objects.create(partnership=partnership, text=text, updated_by=by)
        if charter.text != text:
            charter.text = text
            charter.version += 1
            charter.updated_at = timezone.now()
            charter.updated_by = by
            charter.save()
    return charter


def sign_off(charter: Charter, organisation: Organisation, by: User | None) -> CharterSignOff:
    """Record that an organisation agrees to the charter as it now reads."""
    if organisation.partnership_id != charter.partnership_id:
        raise ActionError(f"{organisation.name} is not a member of this partnership.")
    existing = charter.sign_offs.filter(organisation=organisation, version=charter.version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CharterSignOff.objects.create(
                charter=charter, organisation=organisation, version=charter.version, signed_by=by
            )
    except IntegrityError:  # signed a moment ago by someone else
        return charter.sign_offs.get(organisation=organisation, version=charter.version)


@dataclass(frozen=True)
class SignOffRow:
    organisation: Organisation
    current: CharterSignOff | None
    earlier: CharterSignOff | None


def sign_off_status(partnership: Partnership, charter: Charter | None) -> list[SignOffRow]:
    """Each organisation's sign-off of the current version, or its latest earlier one."""
    latest: dict[int, CharterSignOff] = {}
    if charter is not None:
        for signed in charter.sign_offs.select_related("signed_by").order_by("version"):
            latest[signed.organisation_id] = signed
    rows = []
    for organisation in partnership.organisations.order_by("name"):
        signed = latest.get(organisation.pk)
        is_current = (
            charter is not None and signed is not None and signed.version == charter.version
        )
        rows.append(
            SignOffRow(organisation, signed if is_current else None, None if is_current else signed)
        )
    return rows


# ------------------------------------------------------------ flagged pairs


@dataclass(frozen=True)
class FlaggedPair:
    """A pair the round's network analysis flagged, with the organisations as they are now."""

    a_name: str
    b_name: str
    flag: str
    gap: float | None
    a: Organisation | None
    b: Organisation | None

    @property
    def flag_label(self) -> str:
        return PairFlag(self.flag).label

    @property
    def known(self) -> bool:
        """Whether both organisations are still in the partnership under these names."""
        return self.a is not None and self.b is not None


def flagged_pairs(survey_round: Round) -> list[FlaggedPair]:
    """The pairs flagged in a closed round's result (asymmetric trust, low trust both ways)."""
    result: dict[str, Any] = survey_round.result or {}
    by_name = {o.name.casefold(): o for o in survey_round.partnership.organisations.all()}
    pairs = []
    for flag in (result.get("network") or {}).get("flags", []):
        if flag.get("type") not in PairFlag.values:
            continue
        pairs.append(
            FlaggedPair(
                a_name=flag["a"],
                b_name=flag["b"],
                flag=flag["type"],
                gap=flag.get("gap"),
                a=by_name.get(flag["a"].casefold()),
                b=by_name.get(flag["b"].casefold()),
            )
        )
    return pairs


def plan_conversation(
    partnership: Partnership,
    a: Organisation,
    b: Organisation,
    flag: str,
    survey_round: Round | None = None,
) -> PairConversation:
    """A conversation to plan between two organisations (in the alphabetical order of the flag).

    Planning the same flagged pair from the same round again (a second click)
    gives back the conversation already planned rather than a copy of it.
    """
    if a.pk == b.pk:
        raise ActionError("A conversation needs two different organisations.")
    if a.partnership_id != partnership.pk or b.partnership_id != partnership.pk:
        raise ActionError("Both organisations must be members of this partnership.")
    if flag not in PairFlag.values:
        raise ActionError("That is not a relationship flag.")
    conversation, _ = PairConversation.objects.get_or_create(
        partnership=partnership,
        organisation_a=a,
        organisation_b=b,
        flag=flag,
        round=survey_round,
    )
    return conversation


def change_conversation(
    conversation: PairConversation,
    planned_for: datetime.date | None,
    status: str,
    notes: str,
) -> PairConversation:
    if status not in ConversationStatus.values:
        raise ActionError("Select where the conversation has got to.", "status")
    check_day(planned_for, "planned_for", "date")
    conversation.planned_for = planned_for
    conversation.status = status
    conversation.notes = notes.strip()
    conversation.save()
    return conversation
