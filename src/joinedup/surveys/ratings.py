"""Ratings of partners, kept inside each response (`Response.ratings`).

One entry per partner a respondent rated, in the order of the partners'
ids: {"partner": organisation id, "contact": ..., and each relationship
question's code: ...}, each score an instrument value or None ("Don't
know"). The counts here read the entries in SQL (PostgreSQL's jsonb
functions, SQLite's JSON1), so that no response is loaded to count them.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from .models import Response, Round


def entries(partner_scores: dict[int, dict[str, int | None]]) -> list[dict[str, Any]]:
    """The stored form of a respondent's ratings: partner id -> {code: score}."""
    return [{"partner": partner, **scores} for partner, scores in sorted(partner_scores.items())]


def _elements(alias: str) -> str:
    """SQL (a table expression) for the entries of `alias`.ratings, one row each, as `e`."""
    if connection.vendor == "postgresql":
        return f"jsonb_array_elements({alias}.ratings) e(value)"
    return f"json_each({alias}.ratings) e"


def _partner_of(element: str) -> str:
    if connection.vendor == "postgresql":
        return f"({element}.value ->> 'partner')::bigint"
    return f"json_extract({element}.value, '$.partner')"


def count_in_round(round_id: int) -> int:
    """How many ratings of partners a round's responses hold."""
    return _count("r.round_id = %s", [round_id])


def count_of_partner(organisation_id: int, partnership_id: int) -> int:
    """How many times respondents of a partnership's rounds rated this organisation."""
    return _count(
        f"r.round_id IN (SELECT id FROM {Round._meta.db_table} WHERE partnership_id = %s) "
        f"AND {_partner_of('e')} = %s",
        [partnership_id, organisation_id],
    )


def _count(condition: str, params: list[Any]) -> int:
    table = Response._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} r CROSS JOIN {_elements('r')} WHERE {condition}",
            params,
        )
        return int(cursor.fetchone()[0])
