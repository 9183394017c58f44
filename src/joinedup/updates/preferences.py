"""Each person's choice of weekly updates, one per partnership they belong to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from joinedup.accounts.models import User
from joinedup.partnerships.models import Membership, Organisation, Partnership, Role

from .models import Subscription


@dataclass(frozen=True)
class Choice:
    membership: Membership
    chosen: bool


def choices(user: User) -> list[Choice]:
    """Every partnership the person belongs to, and whether they get its update."""
    chosen = set(Subscription.objects.filter(user=user).values_list("partnership_id", flat=True))
    memberships = Membership.objects.filter(user=user).select_related("partnership")
    return [
        Choice(m, m.partnership_id in chosen)
        for m in memberships.order_by("partnership__name", "partnership_id")
    ]


def save(user: User, wanted: list[str]) -> int:
    """Turn the update on for the partnerships in `wanted` and off for the rest.

    Values that are not one of the person's partnerships are ignored, so a
    tampered form cannot subscribe anyone to a partnership they are not in.
    """
    theirs = set(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))
    chosen = {int(v) for v in wanted if v.isdigit() and int(v) in theirs}
    with transaction.atomic():
        Subscription.objects.filter(user=user).exclude(partnership_id__in=chosen).delete()
        have = set(Subscription.objects.filter(user=user).values_list("partnership_id", flat=True))
        Subscription.objects.bulk_create(
            [Subscription(user=user, partnership_id=pk) for pk in sorted(chosen - have)],
            ignore_conflicts=True,
        )
    return len(chosen)


def partnership_name(partnership_id: int) -> str:
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    return partnership.name if partnership else "this partnership"


def example_organisation(partnership: Partnership) -> Organisation | None:
    """For the preview as a partner lead: the first organisation with a lead, else the first."""
    lead = (
        Membership.objects.filter(partnership=partnership, role=Role.PARTNER_LEAD)
        .exclude(organisation=None)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    if lead is not None:
        return lead.organisation
    return partnership.organisations.order_by("name").first()
