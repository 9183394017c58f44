"""Where a person who comes back to their survey link picks up: the first page not yet answered.

The pages are the ones `survey_views` shows, in the same order: about you,
one page of statements per scale, the partners you work with, a page per
chosen partner, comments, then check your answers. A page counts as
answered when every question on it has an answer in the draft ("don't know"
is an answer); a person who answered everything goes to the check page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from joinedup.instrument import Instrument, load_instrument

from .models import Draft


def first_unanswered_page(
    answers: dict[str, Any], instrument: Instrument, partner_ids: list[int]
) -> tuple[str, dict[str, int]]:
    """The survey page (URL name and arguments) to continue from.

    `partner_ids` are the chosen partners in the order their pages come.
    """
    if "role" not in answers:
        return "about", {}
    items = answers.get("items") or {}
    for number, scale in enumerate(instrument.scales, start=1):
        if any(code not in items for code in scale.items):
            return "statements", {"number": number}
    if "partners" not in answers:
        return "partners", {}
    ratings = answers.get("ratings") or {}
    questions = ["contact", *instrument.rating_codes]
    for partner_id in partner_ids:
        given = ratings.get(str(partner_id)) or {}
        if any(code not in given for code in questions):
            return "partner", {"partner_id": partner_id}
    if "text" not in answers:
        return "comments", {}
    return "check", {}


def resume_url(draft: Draft, token: str) -> str:
    """The address of the first page of this draft not yet answered."""
    chosen = {int(p) for p in draft.answers.get("partners", [])}
    partner_ids = list(
        draft.round.partnership.organisations.exclude(pk=draft.organisation_id)
        .filter(pk__in=chosen)
        .order_by("name")
        .values_list("pk", flat=True)
    )
    name, arguments = first_unanswered_page(
        draft.answers, load_instrument(draft.round.instrument), partner_ids
    )
    return reverse(f"surveys:{name}", kwargs={"token": token, **arguments})
