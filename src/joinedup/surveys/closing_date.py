"""A round's planned closing date, and how it is told: "12 days left", "closes today".

The date is a plan, shown to facilitators, partners and respondents; nothing
closes by itself on that day. A facilitator closes the round, and the worker
then works out the results (`services.close_round`), as without a date.
"""

from __future__ import annotations

import datetime

from .errors import SurveyError
from .models import Round, RoundStatus


def long_date(day: datetime.date) -> str:
    """31 March 2027 (no leading zero; GOV.UK style)."""
    return f"{day.day} {day:%B %Y}"


def set_closing_date(
    survey_round: Round, closes_on: datetime.date | None, today: datetime.date
) -> Round:
    """Plan (or, with None, unplan) the day a draft or open round closes.

    A new date may not be in the past; a date already set may be kept as it
    is, even once it has passed (the round is then "due to close").
    """
    if survey_round.status not in (RoundStatus.DRAFT, RoundStatus.OPEN):
        raise SurveyError(
            "A round that is closing or closed has no planned closing date to change."
        )
    if closes_on is not None and closes_on < today and closes_on != survey_round.closes_on:
        raise SurveyError("The planned closing date must be today or in the future")
    survey_round.closes_on = closes_on
    survey_round.save(update_fields=["closes_on"])
    return survey_round


def days_left(survey_round: Round, today: datetime.date) -> str:
    """How long an open round has left, in words ("" without a planned date).

    "12 days left", "1 day left", "closes today", or, once the day has
    passed, "was due to close on 3 March 2027 and is still open".
    """
    closes_on = survey_round.closes_on
    if closes_on is None or survey_round.status != RoundStatus.OPEN:
        return ""
    days = (closes_on - today).days
    if days > 0:
        return f"{days} day{'s' if days != 1 else ''} left (closes on {long_date(closes_on)})"
    if days == 0:
        return "closes today"
    return f"was due to close on {long_date(closes_on)} and is still open"
