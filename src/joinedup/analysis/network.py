"""The relationship network between organisations (SPEC §4).

Ratings become directed ties between organisations, held as N x N matrices
(N organisations, a few hundred at most), so every figure is a matrix
operation. Betweenness uses Brandes' algorithm run from every source at once
as dense matrix products, which is much faster than a per-node search at
partnership scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from joinedup.instrument import Instrument

from .scoring import TOLERANCE  # a threshold met in arithmetic is met in floating point

ASYMMETRY_GAP = 25.0
LOW_TRUST = 50.0


def composite(ratings: pd.DataFrame, codes: Sequence[str]) -> np.ndarray:
    """A respondent's trust or value for a partner (SPEC §4.1).

    The mean of the composite's ratings (1-4) when at least two are answered,
    normalised to (x - 1) / 3 · 100; NaN otherwise.
    """
    block = ratings[list(codes)].to_numpy(dtype=np.float64)
    answered = np.sum(~np.isnan(block), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(block, axis=1) / answered
    return np.where(answered >= 2, (mean - 1.0) / 3.0 * 100.0, np.nan)


def _group_mean(key: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of non-missing values per integer key, and how many there were."""
    present = ~np.isnan(values)
    count = np.bincount(key[present], minlength=size)
    total = np.bincount(key[present], weights=values[present], minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count, count


def betweenness(adjacency: np.ndarray) -> np.ndarray:
    """Normalised betweenness centrality of an undirected, unweighted graph.

    c(v) = Σ_{s≠v≠t} σ(s,t|v) / σ(s,t), divided by (N-1)(N-2)/2, the number
    of pairs not including v (Freeman 1977; Brandes 2001). Computed by a
    breadth-first search from every source at once: σ counts shortest paths
    level by level, then dependencies δ(s,v) = Σ_w σ(s,v)/σ(s,w) (1 + δ(s,w))
    accumulate back from the deepest level. Zeros when N < 3.
    """
    n = adjacency.shape[0]
    if n < 3:
        return np.zeros(n)
    links = adjacency.astype(np.float64)
    sigma = np.eye(n)
    reached = np.eye(n, dtype=bool)
    frontier = np.eye(n, dtype=bool)
    levels = [frontier]
    while True:
        paths = (sigma * frontier) @ links
        new = (paths > 0) & ~reached
        if not new.any():
            break
        sigma[new] = paths[new]
        reached |= new
        frontier = new
        levels.append(new)
    delta = np.zeros((n, n))
    for depth in range(len(levels) - 1, 0, -1):
        child = levels[depth]
        with np.errstate(invalid="ignore", divide="ignore"):
            weight = np.where(child, (1.0 + delta) / sigma, 0.0)
        parent = levels[depth - 1]
        delta = np.where(parent, sigma * (weight @ links.T), delta)
    np.fill_diagonal(delta, 0.0)
    return delta.sum(axis=0) / ((n - 1) * (n - 2))


def _mean_or_nan(matrix: np.ndarray, axis: int) -> np.ndarray:
    count = np.sum(~np.isnan(matrix), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nansum(matrix, axis=axis) / np.where(count > 0, count, np.nan)


def relationship_network(
    ratings: pd.DataFrame,
    names: Sequence[str],
    instrument: Instrument,
    min_tie_raters: int,
    own_unit: np.ndarray,
) -> dict[str, Any]:
    """The network section of the result (SPEC §4.2-7).

    `ratings` holds one round's ratings with organisation codes indexing
    `names` (which are in alphabetical order, so a flag's pair is named
    a, b in that order). `own_unit[i]` says whether organisation i is its own
    reporting unit (SPEC §3.5); it has no default, so that no caller can forget
    it and show a merged organisation's ratings. A tie's values are
    shown, and enter a figure, only when its rating organisation is its own
    unit and it has at least `min_tie_raters` raters (SPEC §4.4): so a merged
    organisation never has tie ratings, trust given or value given.
    """
    size = len(names)
    cells = size * size
    active = (ratings["contact"].to_numpy() != 0) & (
        ratings["partner"].to_numpy() != ratings["organisation"].to_numpy()
    )
    rows = ratings.loc[active]
    key = rows["organisation"].to_numpy().astype(np.int64) * size + rows[
        "partner"
    ].to_numpy().astype(np.int64)
    trust_each = composite(rows, instrument.composite_items("trust"))
    value_each = composite(rows, instrument.composite_items("value"))

    exists = (np.bincount(key, minlength=cells) > 0).reshape(size, size)
    rated = (~np.isnan(trust_each)) | (~np.isnan(value_each))
    raters = np.bincount(key, weights=rated.astype(np.float64), minlength=cells)
    raters = raters.reshape(size, size).astype(np.int64)
    trust = _group_mean(key, trust_each, cells)[0].reshape(size, size)
    value = _group_mean(key, value_each, cells)[0].reshape(size, size)
    rater_is_own_unit = np.asarray(own_unit, dtype=bool)
    if rater_is_own_unit.shape != (size,):
        raise ValueError(f"own_unit needs one flag per organisation ({size}), not {own_unit!r}")
    shown = exists & (raters >= min_tie_raters) & rater_is_own_unit[:, None]
    trust = np.where(shown, trust, np.nan)
    value = np.where(shown, value, np.nan)

    ties_count = int(exists.sum())
    reciprocated = int((exists & exists.T).sum())
    undirected = exists | exists.T
    degree = undirected.sum(axis=1)
    density = ties_count / (size * (size - 1)) if size >= 2 else math.nan
    reciprocity = reciprocated / ties_count if ties_count else math.nan
    centralisation = (
        float(np.sum(degree.max() - degree)) / ((size - 1) * (size - 2)) if size >= 3 else math.nan
    )
    between = betweenness(undirected)

    origin, target = np.nonzero(exists)
    ties = [
        {
            "from": names[a],
            "to": names[b],
            "raters": int(raters[a, b]),
            "shown": bool(shown[a, b]),
            "trust": _number(trust[a, b]),
            "value": _number(value[a, b]),
        }
        for a, b in zip(origin.tolist(), target.tolist(), strict=True)
    ]
    trust_received = _mean_or_nan(trust, axis=0)
    trust_given = _mean_or_nan(trust, axis=1)
    value_received = _mean_or_nan(value, axis=0)
    value_given = _mean_or_nan(value, axis=1)
    members = [
        {
            "organisation": names[i],
            "trust_received": _number(trust_received[i]),
            "trust_given": _number(trust_given[i]),
            "value_received": _number(value_received[i]),
            "value_given": _number(value_given[i]),
            "betweenness": float(between[i]),
            "degree": int(degree[i]),
        }
        for i in range(size)
    ]
    return {
        "organisations": list(names),
        "density": _number(density),
        "reciprocity": _number(reciprocity),
        "centralisation": _number(centralisation),
        "mean_trust": _number(_nanmean(trust)),
        "mean_value": _number(_nanmean(value)),
        "ties": ties,
        "members": members,
        "flags": _flags(trust, shown, degree, names),
    }


def _flags(
    trust: np.ndarray, shown: np.ndarray, degree: np.ndarray, names: Sequence[str]
) -> list[dict[str, Any]]:
    both = shown & shown.T & ~np.isnan(trust) & ~np.isnan(trust.T)
    upper = np.triu(both, k=1)
    with np.errstate(invalid="ignore"):
        gap = np.abs(trust - trust.T)
        asymmetric = upper & (gap >= ASYMMETRY_GAP - TOLERANCE)
        # Below LOW_TRUST means not at least LOW_TRUST, with the same tolerance.
        low = upper & (trust < LOW_TRUST - TOLERANCE) & (trust.T < LOW_TRUST - TOLERANCE)
    flags: list[dict[str, Any]] = [
        {"type": "asymmetric", "a": names[a], "b": names[b], "gap": float(gap[a, b])}
        for a, b in zip(*np.nonzero(asymmetric), strict=True)
    ]
    flags += [
        {"type": "mutual_low_trust", "a": names[a], "b": names[b]}
        for a, b in zip(*np.nonzero(low), strict=True)
    ]
    flags += [
        {"type": "isolate", "organisation": names[i]} for i in np.flatnonzero(degree == 0).tolist()
    ]
    return flags


def _nanmean(matrix: np.ndarray) -> float:
    present = matrix[~np.isnan(matrix)]
    return float(present.mean()) if present.size else math.nan


def _number(value: float) -> float | None:
    """A float for the result, or None when missing."""
    return None if value is None or math.isnan(value) else float(value)
