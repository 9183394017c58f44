"""Scale scores, disclosure control and the figures derived from them (SPEC §3).

Everything here works on whole arrays: a respondents-by-items matrix of
answers and an integer group code per respondent. Python loops run only over
the nine scales or the handful of reporting units, never over respondents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from joinedup.instrument import Instrument

THRESHOLD = 50.0
SCALE_LOW, SCALE_HIGH = 0.0, 100.0
# Scores are means of quarters and thirds, so a figure that is exactly on a
# threshold in arithmetic can land a hair below it in floating point.
# Comparisons with thresholds allow for that much.
TOLERANCE = 1e-9
RWG_NULL_VARIANCE = 2.0  # variance of a uniform answer on a five-point scale: (5² - 1) / 12
MOMENTUM_SCALES = ("CASE", "TRUST", "CONVERSE", "RELATE", "COMMIT")
STRAIN_SCALES = ("STRAIN", "SURVIVAL")


# ------------------------------------------------------------ respondent level


def item_values(answers: np.ndarray, instrument: Instrument) -> np.ndarray:
    """Answers (respondents x items, 1-5, NaN missing) with reverse-worded items as 6 - x."""
    values = np.array(answers, dtype=np.float64, copy=True)
    codes = instrument.item_codes
    for code in instrument.reverse_items:
        position = codes.index(code)
        values[:, position] = 6.0 - values[:, position]
    return values


def respondent_scores(values: np.ndarray, instrument: Instrument) -> np.ndarray:
    """Each respondent's score on each scale, 0-100 (respondents x scales).

    A scale score is the mean of the scale's answered items when at least
    half of them (rounded up) are answered, else NaN; normalised as
    (mean - 1) * 25 (SPEC §3.2-3).
    """
    codes = instrument.item_codes
    scores = np.full((values.shape[0], len(instrument.scales)), np.nan)
    for index, scale in enumerate(instrument.scales):
        block = values[:, [codes.index(code) for code in scale.items]]
        answered = np.sum(~np.isnan(block), axis=1)
        enough = answered >= math.ceil(len(scale.items) / 2)
        with np.errstate(invalid="ignore"):
            means = np.nansum(block, axis=1) / answered
        scores[enough, index] = (means[enough] - 1.0) * 25.0
    return scores


# ----------------------------------------------------------- reporting units


@dataclass(frozen=True)
class Unit:
    """A reporting unit: one group on its own, or small groups combined."""

    name: str
    members: tuple[str, ...]
    combined: bool
    n: int


def reporting_units(sizes: Sequence[tuple[str, int]], k: int, combined_name: str) -> list[Unit]:
    """Group organisations (or roles) into reporting units (SPEC §3.5).

    Each group with at least k respondents is its own unit; all smaller groups
    are combined into one unit. While that combined unit has fewer than k
    respondents, the smallest remaining own unit (fewest respondents, then
    name) joins it. Returns [] when even everyone together is fewer than k.
    Own units come first, in name order; the combined unit last.
    """
    present = [(name, n) for name, n in sizes if n > 0]
    own = sorted((g for g in present if g[1] >= k), key=lambda g: (g[1], g[0].casefold(), g[0]))
    combined = [g for g in present if g[1] < k]
    if combined:
        while sum(n for _, n in combined) < k and own:
            combined.append(own.pop(0))
        if sum(n for _, n in combined) < k:
            return []
    units = [Unit(name, (name,), False, n) for name, n in sorted(own, key=_name_order)]
    if combined:
        members = tuple(name for name, _ in sorted(combined, key=_name_order))
        units.append(Unit(combined_name, members, True, sum(n for _, n in combined)))
    return units


def _name_order(group: tuple[str, int]) -> tuple[str, str]:
    return (group[0].casefold(), group[0])


def unit_codes(group_names: Sequence[str], units: Sequence[Unit]) -> np.ndarray:
    """For each group name, the index of its unit (-1 for a group in none)."""
    where = {member: index for index, unit in enumerate(units) for member in unit.members}
    return np.array([where.get(name, -1) for name in group_names], dtype=np.int64)


# ------------------------------------------------------------- unit figures


@dataclass
class UnitScores:
    """Per unit and scale (units x scales): the mean, its interval and whether shown."""

    score: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: np.ndarray
    shown: np.ndarray


def unit_scores(scores: np.ndarray, unit: np.ndarray, n_units: int, k: int) -> UnitScores:
    """Mean respondent score per unit and scale, with a 95% t-interval (SPEC §3.6).

    interval = mean ± t(0.975, n-1) · sd / √n, sd with n-1 degrees of freedom,
    clipped to 0–100 (a score cannot leave its scale). A score is shown only
    when at least k respondents have one.
    """
    in_unit = unit >= 0
    frame = pd.DataFrame(scores[in_unit])
    grouped = frame.groupby(unit[in_unit])
    index = np.arange(n_units)
    n = grouped.count().reindex(index, fill_value=0).to_numpy().astype(np.int64)
    mean = grouped.mean().reindex(index).to_numpy()
    sd = grouped.std(ddof=1).reindex(index).to_numpy()
    shown = n >= k
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stdtrit(np.maximum(n - 1, 1), 0.975) * sd / np.sqrt(n)
    half = np.where(shown, np.nan_to_num(half, nan=0.0), np.nan)
    score = np.where(shown, mean, np.nan)
    low, high = clip_interval(score - half, score + half)
    return UnitScores(score, low, high, n, shown)


def rwg(values: np.ndarray, unit: np.ndarray, n_units: int, instrument: Instrument) -> np.ndarray:
    """Within-unit agreement rwg(j) per unit and scale (James, Demaree & Wolf 1984).

    rwg(j) = J(1 - s²/σ²) / (J(1 - s²/σ²) + s²/σ²), with J the scale's items
    answered at least twice in the unit, s² the mean of their variances (n-1)
    and σ² = 2. Zero when s² ≥ σ²; NaN when J = 0.
    """
    in_unit = unit >= 0
    grouped = pd.DataFrame(values[in_unit]).groupby(unit[in_unit])
    index = np.arange(n_units)
    counts = grouped.count().reindex(index, fill_value=0).to_numpy()
    variances = grouped.var(ddof=1).reindex(index).to_numpy()
    codes = instrument.item_codes
    result = np.full((n_units, len(instrument.scales)), np.nan)
    for position, scale in enumerate(instrument.scales):
        columns = [codes.index(code) for code in scale.items]
        usable = counts[:, columns] >= 2
        j = usable.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            s2 = np.where(usable, variances[:, columns], 0.0).sum(axis=1) / j
            ratio = s2 / RWG_NULL_VARIANCE
            agreement = j * (1 - ratio) / (j * (1 - ratio) + ratio)
        agreement = np.where(ratio >= 1, 0.0, agreement)
        result[:, position] = np.where(j > 0, agreement, np.nan)
    return result


# -------------------------------------------------------- partnership figures


@dataclass
class PartnershipScale:
    score: float
    ci_low: float
    ci_high: float
    n: int
    units: list[int]


def partnership_scale(unit_figures: UnitScores, scale: int) -> PartnershipScale:
    """Mean of the shown unit scores, each unit weighing the same (SPEC §3.7).

    The interval is the t-interval over the unit scores when two or more
    units are shown; with one unit, that unit's own interval. Both are
    clipped to 0–100.
    """
    shown = np.flatnonzero(unit_figures.shown[:, scale])
    if len(shown) == 0:
        return PartnershipScale(math.nan, math.nan, math.nan, 0, [])
    scores = unit_figures.score[shown, scale]
    n = int(unit_figures.n[shown, scale].sum())
    if len(shown) == 1:
        index = shown[0]
        return PartnershipScale(
            float(scores[0]),
            float(unit_figures.ci_low[index, scale]),
            float(unit_figures.ci_high[index, scale]),
            n,
            [int(index)],
        )
    low, high = clip_interval(*t_interval(scores))
    return PartnershipScale(
        float(scores.mean()), float(low), float(high), n, [int(i) for i in shown]
    )


def t_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """mean ± t((1+c)/2, n-1) · sd / √n over `values` (n ≥ 2).

    The t quantile comes from scipy.special.stdtrit, the function behind
    scipy.stats.t.ppf, without the cost of importing scipy.stats.
    """
    n = len(values)
    mean = float(np.mean(values))
    sd = float(np.std(values, ddof=1))
    half = float(stdtrit(n - 1, (1 + confidence) / 2)) * sd / math.sqrt(n)
    return mean - half, mean + half


def clip_interval(low: Any, high: Any) -> tuple[Any, Any]:
    """An interval clipped to the 0–100 scale every score lives on (SPEC §3.6, §3.7).

    Works on floats and arrays alike; NaN stays NaN.
    """
    return np.clip(low, SCALE_LOW, SCALE_HIGH), np.clip(high, SCALE_LOW, SCALE_HIGH)


# ------------------------------------------------------------- derived labels


def favourable(score: float, higher_is_better: bool) -> float:
    """The score with 'higher is better' for every scale: 100 - score for STRAIN and SURVIVAL."""
    return score if higher_is_better else 100.0 - score


def at_least(value: float, threshold: float) -> bool:
    """value ≥ threshold, allowing for floating-point rounding (see TOLERANCE)."""
    return value >= threshold - TOLERANCE


def band(score: float, higher_is_better: bool) -> str | None:
    """strength (favourable ≥ 75), developing (≥ 50) or concern; None when missing."""
    if score is None or math.isnan(score):
        return None
    value = favourable(score, higher_is_better)
    if at_least(value, 75):
        return "strength"
    if at_least(value, 50):
        return "developing"
    return "concern"


def mean_available(scores: dict[str, float], codes: Sequence[str]) -> float:
    """Mean of the scores that are present among `codes`; NaN when none is."""
    present = [scores[c] for c in codes if c in scores and not math.isnan(scores[c])]
    return float(np.mean(present)) if present else math.nan


def momentum_and_strain(scores: dict[str, float]) -> tuple[float, float]:
    """Momentum: mean of CASE, TRUST, CONVERSE, RELATE, COMMIT; strain: of STRAIN, SURVIVAL."""
    return mean_available(scores, MOMENTUM_SCALES), mean_available(scores, STRAIN_SCALES)


def position(momentum: float, strain: float) -> str | None:
    """Where the partnership stands, on a threshold of 50 (SPEC §3.9)."""
    if math.isnan(momentum) or math.isnan(strain):
        return None
    if at_least(momentum, THRESHOLD):
        return "tipping_and_breaking" if at_least(strain, THRESHOLD) else "tipping_point"
    return "breaking_point" if at_least(strain, THRESHOLD) else "holding_pattern"


def alignment(case: float, change: float) -> str | None:
    """Case for collaboration against readiness to change (SPEC §3.10)."""
    if math.isnan(case) or math.isnan(change):
        return None
    if at_least(case, 75) and at_least(change, 75):
        return "aligned"
    if at_least(case, 50) and at_least(change, 50):
        return "emerging"
    if at_least(case, 50):
        return "collaborate_without_changing"
    if at_least(change, 50):
        return "changing_alone"
    return "not_ready"
