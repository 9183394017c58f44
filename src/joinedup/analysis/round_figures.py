"""One round's scores and units, shared by the result and the trend.

Its own module so that `result` (which makes them) and `trend` (which
compares two of them) need not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .scoring import Unit


@dataclass
class RoundFigures:
    """One round's scores and units, as the trend needs them."""

    label: str | None
    units: list[Unit]
    unit_of: np.ndarray
    scores: np.ndarray
    values: np.ndarray
    unit_entries: list[dict[str, Any]]
    partnership: dict[str, Any]
