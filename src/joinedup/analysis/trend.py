"""Change since the previous round (SPEC §5: trend).

For every score shown in both rounds: its previous value, the change, and
whether the change is significant by Welch's t-test on respondent scores
(p < 0.05). Units are compared only when they are the same in both rounds: an
organisation reported on its own both times, or an "Other organisations"
group of exactly the same organisations. `previous` is what the earlier round
published (its stored units and figures, `published.PublishedRound`) in the
web app, or the previous file analysed under the same settings on the
command line.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import stdtr

from joinedup.instrument import Instrument

from .round_figures import RoundFigures

SIGNIFICANCE = 0.05


def welch(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p-value of Welch's unequal-variances t-test (Welch 1947).

    t = (mean_a - mean_b) / √(s²_a/n_a + s²_b/n_b), with the
    Welch–Satterthwaite degrees of freedom
    ν = (s²_a/n_a + s²_b/n_b)² / ((s²_a/n_a)²/(n_a-1) + (s²_b/n_b)²/(n_b-1));
    p = 2·P(T_ν ≤ -|t|). NaN with fewer than two values in either group or
    no variance in either.
    """
    a = a[~np.isnan(a)]
    b = b[~np.isnan(b)]
    if len(a) < 2 or len(b) < 2:
        return math.nan
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    spread = va + vb
    if spread <= 1e-12:
        return math.nan
    t = (np.mean(a) - np.mean(b)) / math.sqrt(spread)
    dof = spread**2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(2 * stdtr(dof, -abs(t)))


def _change(current: Any, previous: Any) -> dict[str, Any]:
    if current is None or previous is None:
        return {"previous": previous, "change": None}
    return {"previous": previous, "change": current - previous}


def _scale_changes(
    now_entry: dict[str, Any],
    before_entry: dict[str, Any],
    now_scores: np.ndarray,
    before_scores: np.ndarray,
    instrument: Instrument,
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for index, scale in enumerate(instrument.scales):
        now = now_entry["scales"][scale.code]["score"]
        before = before_entry["scales"][scale.code]["score"]
        if now is None or before is None:
            changes[scale.code] = {"previous": before, "change": None, "p": None,
                                   "significant": None}  # fmt: skip
            continue
        p = welch(now_scores[:, index], before_scores[:, index])
        changes[scale.code] = {
            "previous": before,
            "change": now - before,
            "p": None if math.isnan(p) else p,
            "significant": None if math.isnan(p) else p < SIGNIFICANCE,
        }
    return changes


def compare_rounds(
    current: RoundFigures, previous: RoundFigures, instrument: Instrument
) -> dict[str, Any]:
    """The trend section: this round against `previous`."""

    def respondents_in(figures: RoundFigures, unit_names: list[str]) -> np.ndarray:
        wanted = [i for i, u in enumerate(figures.units) if u.name in unit_names]
        return figures.scores[np.isin(figures.unit_of, wanted)]

    partnership_scales = {}
    for index, scale in enumerate(instrument.scales):
        now = current.partnership["scales"][scale.code]
        before = previous.partnership["scales"][scale.code]
        if now["score"] is None or before["score"] is None:
            partnership_scales[scale.code] = {
                "previous": before["score"], "change": None, "p": None, "significant": None,
            }  # fmt: skip
            continue
        p = welch(
            respondents_in(current, now["units"])[:, index],
            respondents_in(previous, before["units"])[:, index],
        )
        partnership_scales[scale.code] = {
            "previous": before["score"],
            "change": now["score"] - before["score"],
            "p": None if math.isnan(p) else p,
            "significant": None if math.isnan(p) else p < SIGNIFICANCE,
        }
    # A unit is compared only with a unit of exactly the same organisations, own
    # or combined in both rounds: an organisation merged in either round has no
    # trend of its own, and a combined group of other organisations is not comparable.
    before_units = {
        (frozenset(u.members), u.combined): index for index, u in enumerate(previous.units)
    }
    units = []
    for now_index, unit in enumerate(current.units):
        before_index = before_units.get((frozenset(unit.members), unit.combined))
        if before_index is None:
            continue
        now_entry = current.unit_entries[now_index]
        before_entry = previous.unit_entries[before_index]
        units.append(
            {
                "name": unit.name,
                "organisations": list(unit.members),
                "scales": _scale_changes(
                    now_entry,
                    before_entry,
                    current.scores[current.unit_of == now_index],
                    previous.scores[previous.unit_of == before_index],
                    instrument,
                ),
                "momentum": _change(now_entry["momentum"], before_entry["momentum"]),
                "strain": _change(now_entry["strain"], before_entry["strain"]),
            }
        )
    return {
        "previous_round": previous.label,
        "partnership": {
            "scales": partnership_scales,
            "momentum": _change(current.partnership["momentum"], previous.partnership["momentum"]),
            "strain": _change(current.partnership["strain"], previous.partnership["strain"]),
            "position": {
                "previous": previous.partnership["position"],
                "current": current.partnership["position"],
            },
            "alignment": {
                "previous": previous.partnership["alignment"],
                "current": current.partnership["alignment"],
            },
        },
        "units": units,
    }
