"""Where each organisation sits on the network map.

A circle, ordered by sector (in the instrument's order) and then by name,
starting at the top and running clockwise, with a small gap between sectors.
Partnership networks are dense (most partners work with most others), so a
force-directed layout collapses into a ball; a circle keeps every
organisation and its label visible, puts each sector together, and is the
same for the same organisations every time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

SECTOR_GAP = 0.6  # of one organisation's slot, between neighbouring sectors


def sector_order(name: str, sectors: dict[str, str], order: Sequence[str]) -> tuple[int, str, str]:
    """The sort key: sector position (unknown sectors last), then name."""
    sector = sectors.get(name, "")
    rank = order.index(sector) if sector in order else len(order)
    return rank, name.casefold(), name


def circular_layout(
    names: Sequence[str], sectors: dict[str, str], order: Sequence[str]
) -> dict[str, float]:
    """Each organisation's angle on the circle, in radians (0 east, clockwise, top first)."""
    ordered = sorted(names, key=lambda n: sector_order(n, sectors, order))
    if not ordered:
        return {}
    groups = [sectors.get(n, "") for n in ordered]
    breaks = sum(1 for a, b in itertools.pairwise(groups) if a != b)
    if len(set(groups)) > 1:
        breaks += 1  # between the last sector and the first, round the circle
    slots = len(ordered) + SECTOR_GAP * breaks
    step = 2 * math.pi / slots
    angles = {}
    position = 0.0
    for index, name in enumerate(ordered):
        if index and groups[index] != groups[index - 1]:
            position += SECTOR_GAP
        angles[name] = -math.pi / 2 + position * step
        position += 1
    return angles
