"""An earlier round as it was published, for the trend (SPEC §5).

A round's trend compares it with what the previous round published when it
closed: that round's stored result and its stored reporting units, never a
re-analysis under today's thresholds. Re-analysing would re-open the earlier
round: an organisation merged there at k = 5 would get figures of its own
once k is lowered to 3. The web app keeps both; the command line, which has
only files, re-analyses the previous file under the same settings instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from joinedup.instrument import Instrument

from . import scoring


@dataclass(frozen=True)
class PublishedRound:
    """A round's stored result, and its respondents' answers grouped by its stored units.

    `answers`: respondents x the instrument's items (`item_codes` order),
    1 to 5, NaN for "Don't know" or blank. `unit_of`: each respondent's index
    into `result["units"]`. `members`: optionally, each unit's organisations
    under today's names (a web app that keys units by a stable id renames
    them for comparing); by default, the names the round published.
    """

    result: dict[str, Any]
    answers: np.ndarray
    unit_of: np.ndarray
    members: Sequence[Sequence[str]] | None = None

    @property
    def label(self) -> str:
        return str(self.result.get("round") or "previous")

    def units(self) -> list[scoring.Unit]:
        entries = self.result["units"]
        members = self.members or [entry["organisations"] for entry in entries]
        return [
            scoring.Unit(entry["name"], tuple(names), bool(entry["combined"]), int(entry["n"]))
            for entry, names in zip(entries, members, strict=True)
        ]

    def scores(self, instrument: Instrument) -> tuple[np.ndarray, np.ndarray]:
        """Respondents' item values and scale scores, computed as at close (SPEC §3.1–3.2)."""
        answers = np.asarray(self.answers, dtype=np.float64).reshape(-1, len(instrument.item_codes))
        values = scoring.item_values(answers, instrument)
        return values, scoring.respondent_scores(values, instrument)
