"""Helpers for the relationship-network tests: rating rows by composite, and lookups.

Trust and value are given as tuples of raw ratings (1-4, None for blank), in
SPEC order: trust = (reliable, open, purpose), value = (resources, influence,
involved). A shorter tuple leaves the remaining ratings blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.factories import rating, result

TRUST = ("reliable", "open", "purpose")
VALUE = ("resources", "influence", "involved")

Ratings = Sequence[int | str | None]


def rated(
    respondent_id: str,
    organisation: str,
    partner: str,
    trust: Ratings = (3, 3, 3),
    value: Ratings = (3, 3, 3),
    contact: int | str | None = 3,
) -> dict[str, str]:
    """A relationships row giving these trust and value ratings."""
    cells: dict[str, Any] = {}
    for codes, given in ((TRUST, trust), (VALUE, value)):
        padded = list(given) + [None] * (len(codes) - len(given))
        cells |= dict(zip(codes, padded, strict=True))
    return rating(respondent_id, organisation, partner, contact, **cells)


def rated_by(
    organisation: str,
    partner: str,
    count: int = 3,
    first: int = 0,
    prefix: str | None = None,
    **ratings: Any,
) -> list[dict[str, str]]:
    """The same ratings of `partner` from `count` respondents of `organisation`.

    Respondent ids follow `org_respondents` ("Alder-0", "Alder-1", ...). Since
    SPEC revision 2 a tie is shown only with enough raters (default 3) from an
    organisation that is its own unit, so a test about a tie's arithmetic gives
    it several identical raters: their mean is the one rating's value.
    """
    prefix = prefix or organisation
    return [
        rated(f"{prefix}-{i}", organisation, partner, **ratings)
        for i in range(first, first + count)
    ]


def network(
    responses: list[dict[str, str]],
    relationships: list[dict[str, str]],
    organisations: list[dict[str, str]] | None = None,
    **settings: int,
) -> dict[str, Any]:
    """The network section of the result of these rows."""
    section: dict[str, Any] = result(responses, relationships, organisations, **settings)["network"]
    return section


def tie(section: dict[str, Any], origin: str, target: str) -> dict[str, Any] | None:
    """The tie origin -> target, or None when there is no such tie."""
    found = [t for t in section["ties"] if t["from"] == origin and t["to"] == target]
    assert len(found) <= 1, f"tie {origin} -> {target} listed {len(found)} times"
    return found[0] if found else None


def member(section: dict[str, Any], name: str) -> dict[str, Any]:
    """The per-organisation figures of `name`."""
    found = [m for m in section["members"] if m["organisation"] == name]
    assert len(found) == 1, f"{name} listed {len(found)} times among members"
    return found[0]


def flags_of(section: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [flag for flag in section["flags"] if flag["type"] == kind]


def pairs_flagged(section: dict[str, Any], kind: str) -> set[tuple[str, str]]:
    return {(flag["a"], flag["b"]) for flag in flags_of(section, kind)}
