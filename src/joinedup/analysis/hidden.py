"""What a result will not show, and why: for the facilitator deciding to close a round.

Worked out from a result document alone (the one the round would publish if
it closed now), so the preview and the published result cannot disagree. It
names organisations, never people: which organisations go into "Other
organisations" (each had fewer than k respondents), and how many ties
between organisations will be drawn without figures, for each reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Hidden:
    """What the result withholds."""

    min_group_size: int
    min_tie_raters: int
    no_results: bool = False  # fewer than k people answered in all: no figures at all
    combined_name: str | None = None
    combined: tuple[str, ...] = field(default=())  # organisations merged into one unit
    ties: int = 0  # ties between organisations that exist
    ties_too_few_raters: int = 0
    ties_from_combined: int = 0  # rated by an organisation merged into "Other organisations"

    @property
    def ties_hidden(self) -> int:
        return self.ties_too_few_raters + self.ties_from_combined

    @property
    def nothing(self) -> bool:
        return not (self.no_results or self.combined or self.ties_hidden)


def what_results_hide(result: dict[str, Any]) -> Hidden:
    """The organisations merged and the ties left without figures in `result`."""
    settings = result.get("settings") or {}
    k = int(settings.get("min_group_size") or 5)
    raters_needed = int(settings.get("min_tie_raters") or 3)
    if (result.get("partnership") or {}).get("reason") == "too_few_respondents":
        return Hidden(k, raters_needed, no_results=True)
    merged: list[str] = []
    merged_name = None
    for unit in result.get("units") or []:
        if unit.get("combined"):
            merged_name = str(unit.get("name"))
            merged.extend(str(name) for name in unit.get("organisations") or [])
    merged_keys = {name.strip().casefold() for name in merged}
    ties = [t for t in (result.get("network") or {}).get("ties") or [] if isinstance(t, dict)]
    from_merged = too_few = 0
    for tie in ties:
        if tie.get("shown"):
            continue
        if str(tie.get("from", "")).strip().casefold() in merged_keys:
            from_merged += 1
        else:
            too_few += 1
    return Hidden(
        k,
        raters_needed,
        combined_name=merged_name,
        combined=tuple(sorted(merged, key=str.casefold)),
        ties=len(ties),
        ties_too_few_raters=too_few,
        ties_from_combined=from_merged,
    )
