"""Reliability of the scales: Cronbach's alpha, ICC(1) and ICC(2) (SPEC §3.12)."""

from __future__ import annotations

import math

import numpy as np


def cronbach_alpha(items: np.ndarray) -> tuple[float, int]:
    """Cronbach's alpha over the respondents who answered every item.

    alpha = J / (J - 1) · (1 - Σ var(itemⱼ) / var(Σ items)), variances with
    n - 1 (Cronbach 1951). Returns (alpha, n_complete); alpha is NaN with
    fewer than three complete respondents, fewer than two items, or no
    variance in the totals.
    """
    complete = items[~np.isnan(items).any(axis=1)]
    n_complete, n_items = complete.shape
    if n_complete < 3 or n_items < 2:
        return math.nan, int(n_complete)
    total_variance = float(np.var(complete.sum(axis=1), ddof=1))
    if total_variance < 1e-12:  # no variance in the totals (beyond rounding noise)
        return math.nan, int(n_complete)
    item_variance = float(np.var(complete, axis=0, ddof=1).sum())
    alpha = n_items / (n_items - 1) * (1 - item_variance / total_variance)
    return alpha, int(n_complete)


def icc(scores: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
    """ICC(1) and ICC(2) of scores nested in groups, from a one-way ANOVA.

    ICC(1) = (MSB - MSW) / (MSB + (n₀ - 1) MSW) and ICC(2) = (MSB - MSW) / MSB
    (Bliese 2000), where with unequal group sizes
    n₀ = (N - Σ nᵢ² / N) / (G - 1). Missing scores and negative group codes
    are left out. Returns NaN for both with fewer than two groups, and for
    whichever has a zero denominator.
    """
    keep = ~np.isnan(scores) & (groups >= 0)
    values = scores[keep]
    labels = np.unique(groups[keep], return_inverse=True)[1]
    n_groups = int(labels.max()) + 1 if len(labels) else 0
    total = len(values)
    if n_groups < 2 or total - n_groups < 1:
        return math.nan, math.nan
    sizes = np.bincount(labels, minlength=n_groups).astype(np.float64)
    sums = np.bincount(labels, weights=values, minlength=n_groups)
    means = sums / sizes
    grand = values.mean()
    ss_between = float(np.sum(sizes * (means - grand) ** 2))
    ss_within = float(np.sum((values - means[labels]) ** 2))
    ms_between = ss_between / (n_groups - 1)
    ms_within = ss_within / (total - n_groups)
    n0 = (total - float(np.sum(sizes**2)) / total) / (n_groups - 1)
    # Sums of squares below this are rounding noise from identical means, not
    # variance (scores run 0-100, so real variances are many orders larger).
    noise = 1e-9
    denominator1 = ms_between + (n0 - 1) * ms_within
    icc1 = (ms_between - ms_within) / denominator1 if denominator1 > noise else math.nan
    icc2 = (ms_between - ms_within) / ms_between if ms_between > noise else math.nan
    return icc1, icc2
