"""How every figure is written: one rule for rounding, changes and flags.

The page, the PDF, the workbook and the CSV files all write numbers through
here, so that what a reader sees adds up:

- A figure is rounded half away from zero, as people round by hand (Python's
  round() goes to the even neighbour: 66.5 would become 66).
- A change is worked out from the figures as shown: both ends are rounded
  first, then subtracted. "66 → 67" is always "+1", never "+2" from
  unrounded ends. A change always has its sign, and a change of 0 is
  written "no change".
- A number printed beside a flag agrees with it. A perception gap of 19.8
  is not flagged at "20 or more"; written as a whole number it would read
  "+20", so it is written with the fewest decimal places that keep it on
  the same side of the threshold as its flag: "+19.8".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard

MINUS = "\u2212"  # a real minus sign: screen readers say "minus", not "dash"
NO_FIGURE = "–"  # shown where a figure is suppressed or missing
NO_CHANGE = "no change"
MOST_PLACES = 6  # enough for any gap the survey can produce (means of 1-5 answers)


def present(value: Any) -> TypeGuard[int | float]:
    """True for a finite number (a figure that is shown)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def rounded(value: float, places: int = 0) -> float:
    """`value` to `places` decimal places, halves away from zero (66.5 → 67, −2.5 → −3)."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def shown(value: Any, places: int = 0, missing: str = NO_FIGURE) -> str:
    """A figure as printed ("68", "0.81", "−3"), or `missing` when it is not shown."""
    if not present(value):
        return missing
    return _written(rounded(value, places), places, plus=False)


def signed(value: Any, places: int = 0, missing: str = NO_FIGURE) -> str:
    """A difference with its sign ("+23", "−17", "0"), or `missing`."""
    if not present(value):
        return missing
    return _written(rounded(value, places), places, plus=True)


def change(before: Any, after: Any, places: int = 0) -> float | None:
    """The change between two figures as they are printed: rounded ends, then subtracted."""
    if not (present(before) and present(after)):
        return None
    return rounded(rounded(after, places) - rounded(before, places), places)


def change_text(before: Any, after: Any, places: int = 0, missing: str = NO_FIGURE) -> str:
    """The change as printed beside "before → after": "+1", "−3" or "no change"."""
    difference = change(before, after, places)
    if difference is None:
        return missing
    if difference == 0:
        return NO_CHANGE
    return _written(difference, places, plus=True)


def flag_places(value: Any, threshold: float, flagged: bool, places: int = 0) -> int:
    """The fewest decimal places (from `places`) at which `value` agrees with its flag.

    A flag means "|value| ≥ threshold". Rounded to a whole number, 19.6
    prints as 20 next to "not flagged"; to one place it prints 19.6, which
    agrees. A flagged value never rounds below an integer threshold, so only
    unflagged ones need more places.
    """
    if not present(value):
        return places
    for digits in range(places, MOST_PLACES + 1):
        printed = abs(rounded(value, digits))
        if (printed >= threshold) == flagged:
            return digits
    return MOST_PLACES


def flagged_text(value: Any, threshold: float, flagged: bool, places: int = 0) -> str:
    """A signed value printed so that it agrees with the flag beside it."""
    return signed(value, flag_places(value, threshold, flagged, places))


def _written(value: float, places: int, plus: bool) -> str:
    if value == 0:
        return f"{0:.{places}f}"
    body = f"{abs(value):.{places}f}"
    if value < 0:
        return MINUS + body
    return ("+" if plus else "") + body
