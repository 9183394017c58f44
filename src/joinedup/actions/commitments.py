"""The commitments ledger: what each organisation pledged to the shared work (money, staff
time, assets, data, other) against what it has delivered.

"Bring your organisation to bear" (SPEC §5) asks for real resources behind
the shared work. A commitment is

- delivered, when delivered >= pledged;
- a shortfall, when less has been delivered than pledged and its due date
  has passed;
- outstanding otherwise (not yet due, or no due date).

Amounts of different kinds are never added together: the ledger totals each
organisation's pledges by kind, in that kind's unit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from joinedup.partnerships.models import Organisation, Partnership
from joinedup.reports.charts.figures import Chart
from joinedup.reports.charts.ledger import LedgerRow, pledged_against_delivered

from .models import COMMITMENT_UNITS, Commitment, CommitmentKind
from .services import ActionError, check_day, today


class CommitmentState:
    DELIVERED = "delivered"
    OUTSTANDING = "outstanding"
    SHORTFALL = "shortfall"


STATE_LABELS = {
    CommitmentState.DELIVERED: "Delivered",
    CommitmentState.OUTSTANDING: "Outstanding",
    CommitmentState.SHORTFALL: "Shortfall",
}
STATE_COLOURS = {
    CommitmentState.DELIVERED: "green",
    CommitmentState.OUTSTANDING: "blue",
    CommitmentState.SHORTFALL: "red",
}


def amount(value: Decimal, kind: str) -> str:
    """An amount in its kind's unit: "£200,000", "1.5 FTE", "3"."""
    whole = value == value.to_integral_value()
    number = f"{value:,.0f}" if whole else f"{value:,.2f}".rstrip("0").rstrip(".")
    if kind == CommitmentKind.MONEY:
        return f"£{value:,.0f}" if whole else f"£{value:,.2f}"
    if kind == CommitmentKind.FTE:
        return f"{number} FTE"
    return number


def state_of(commitment: Commitment, on: datetime.date) -> str:
    if commitment.delivered >= commitment.pledged:
        return CommitmentState.DELIVERED
    if commitment.due_date is not None and commitment.due_date < on:
        return CommitmentState.SHORTFALL
    return CommitmentState.OUTSTANDING


@dataclass(frozen=True)
class LedgerEntry:
    commitment: Commitment
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def colour(self) -> str:
        return STATE_COLOURS[self.state]

    @property
    def gap(self) -> Decimal:
        """What is still to be delivered (never negative)."""
        return max(Decimal(0), self.commitment.pledged - self.commitment.delivered)

    @property
    def pledged_text(self) -> str:
        return amount(self.commitment.pledged, self.commitment.kind)

    @property
    def delivered_text(self) -> str:
        return amount(self.commitment.delivered, self.commitment.kind)

    @property
    def gap_text(self) -> str:
        return amount(self.gap, self.commitment.kind)


@dataclass(frozen=True)
class LedgerTotal:
    """One organisation's pledges of one kind, added up in that kind's unit."""

    organisation: Organisation
    kind: str
    pledged: Decimal
    delivered: Decimal
    shortfalls: int

    @property
    def kind_label(self) -> str:
        return CommitmentKind(self.kind).label

    @property
    def pledged_text(self) -> str:
        return amount(self.pledged, self.kind)

    @property
    def delivered_text(self) -> str:
        return amount(self.delivered, self.kind)

    @property
    def share_delivered(self) -> int:
        """Delivered as a whole percentage of pledged, at most 100."""
        return min(100, round(self.delivered / self.pledged * 100)) if self.pledged else 0


@dataclass(frozen=True)
class Ledger:
    entries: list[LedgerEntry]
    totals: list[LedgerTotal]

    @property
    def shortfalls(self) -> list[LedgerEntry]:
        return [e for e in self.entries if e.state == CommitmentState.SHORTFALL]


def ledger(partnership: Partnership, on: datetime.date | None = None) -> Ledger:
    """Every commitment with its state, and totals by organisation and kind."""
    on = on or today()
    commitments = list(partnership.commitments.select_related("organisation"))
    entries = [LedgerEntry(c, state_of(c, on)) for c in commitments]
    kinds = list(CommitmentKind.values)
    groups: dict[tuple[str, int, int], list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        c = entry.commitment
        groups[(c.organisation.name, c.organisation_id, kinds.index(c.kind))].append(entry)
    totals = [
        LedgerTotal(
            organisation=group[0].commitment.organisation,
            kind=group[0].commitment.kind,
            pledged=sum((e.commitment.pledged for e in group), Decimal(0)),
            delivered=sum((e.commitment.delivered for e in group), Decimal(0)),
            shortfalls=sum(e.state == CommitmentState.SHORTFALL for e in group),
        )
        for _, group in sorted(groups.items(), key=lambda item: item[0])
    ]
    return Ledger(entries, totals)


# ----------------------------------------------------------------- changes


def _fields(
    partnership: Partnership,
    organisation: Organisation,
    kind: str,
    description: str,
    pledged: Decimal,
    delivered: Decimal,
    due_date: datetime.date | None,
) -> dict[str, Any]:
    """A commitment's fields, checked and tidied, or ActionError."""
    if organisation.partnership_id != partnership.pk:
        raise ActionError(
            f"{organisation.name} is not a member of this partnership.", "organisation"
        )
    if kind not in CommitmentKind.values:
        raise ActionError("Select what kind of commitment it is.", "kind")
    if not description.strip():
        raise ActionError("Say what was pledged.", "description")
    if pledged <= 0:
        raise ActionError("Enter the amount pledged, more than 0.", "pledged")
    if delivered < 0:
        raise ActionError("Enter the amount delivered, 0 or more.", "delivered")
    check_day(due_date, "due_date", "due date")
    return {
        "organisation": organisation,
        "kind": kind,
        "description": description.strip(),
        "pledged": pledged,
        "delivered": delivered,
        "due_date": due_date,
    }


def create_commitment(
    partnership: Partnership,
    organisation: Organisation,
    kind: str,
    description: str,
    pledged: Decimal,
    delivered: Decimal = Decimal(0),
    due_date: datetime.date | None = None,
) -> Commitment:
    fields = _fields(partnership, organisation, kind, description, pledged, delivered, due_date)
    return Commitment.objects.create(partnership=partnership, **fields)


def change_commitment(
    commitment: Commitment,
    organisation: Organisation,
    kind: str,
    description: str,
    pledged: Decimal,
    delivered: Decimal = Decimal(0),
    due_date: datetime.date | None = None,
) -> Commitment:
    fields = _fields(
        commitment.partnership, organisation, kind, description, pledged, delivered, due_date
    )
    for name, value in fields.items():
        setattr(commitment, name, value)
    commitment.save()
    return commitment


def remove_commitment(commitment: Commitment) -> None:
    commitment.delete()


def charts(found: Ledger) -> list[Chart]:
    """Pledged against delivered by organisation: one chart per kind with pledges."""
    short_by: set[tuple[int, str]] = {
        (e.commitment.organisation_id, e.commitment.kind) for e in found.shortfalls
    }
    result = []
    for kind in CommitmentKind:
        totals = [t for t in found.totals if t.kind == kind.value]
        if not totals:
            continue
        rows = [
            LedgerRow(
                t.organisation.name,
                float(t.pledged),
                float(t.delivered),
                (t.organisation.pk, t.kind) in short_by,
            )
            for t in totals
        ]
        result.append(
            pledged_against_delivered(
                kind.value, str(kind.label), COMMITMENT_UNITS.get(kind.value, ""), rows
            )
        )
    return result
