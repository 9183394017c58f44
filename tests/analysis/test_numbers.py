"""The one rule for writing numbers: rounding, changes, and numbers beside flags."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.analysis import numbers
from joinedup.analysis.numbers import MINUS, NO_CHANGE, NO_FIGURE


@pytest.mark.parametrize(
    ("value", "text"),
    [(66.5, "67"), (-2.5, MINUS + "3"), (0.49, "0"), (67.4999, "67"), (100.0, "100")],
)
def test_figures_round_half_away_from_zero(value: float, text: str) -> None:
    assert numbers.shown(value) == text


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, True, "12"])
def test_a_figure_that_is_not_shown_is_a_dash(missing: object) -> None:
    assert numbers.shown(missing) == NO_FIGURE
    assert numbers.change_text(missing, 50) == NO_FIGURE


def test_a_change_is_worked_out_from_the_ends_as_printed() -> None:
    # 66.4 → 67.5 is a change of 1.1 unrounded, but the page shows "66 → 68": +2.
    assert numbers.change_text(66.4, 67.5) == "+2"
    # 65.6 → 67.4 is 1.8 unrounded (which would print "+2"), but shows "66 → 67": +1.
    assert numbers.change_text(65.6, 67.4) == "+1"
    # 54.4 → 54.6 shows "54 → 55".
    assert numbers.change_text(54.4, 54.6) == "+1"
    assert numbers.change_text(70.2, 61.5) == MINUS + "8"


def test_no_change_is_said_in_words() -> None:
    # 0.8 apart unrounded, but both print as 54.
    assert numbers.change_text(53.6, 54.4) == NO_CHANGE


@given(
    st.floats(0, 100, allow_nan=False),
    st.floats(0, 100, allow_nan=False),
    st.integers(0, 2),
)
def test_before_plus_change_is_after_as_printed(before: float, after: float, places: int):
    text = numbers.change_text(before, after, places)
    step = 0.0 if text == NO_CHANGE else float(text.replace(MINUS, "-"))
    shown_before = float(numbers.shown(before, places).replace(MINUS, "-"))
    shown_after = float(numbers.shown(after, places).replace(MINUS, "-"))
    assert shown_before + step == pytest.approx(shown_after)
    assert text == NO_CHANGE or text[0] in "+" + MINUS


@pytest.mark.parametrize(
    ("gap", "flagged", "text"),
    [
        (19.8, False, "+19.8"),  # whole, it would read +20 beside "not flagged"
        (19.96, False, "+19.96"),  # one place still reads 20.0
        (-19.6, False, MINUS + "19.6"),
        (20.0, True, "+20"),
        (23.4, True, "+23"),
        (12.3, False, "+12"),
    ],
)
def test_a_number_beside_a_flag_agrees_with_it(gap: float, flagged: bool, text: str) -> None:
    assert numbers.flagged_text(gap, 20.0, flagged) == text


@given(st.floats(-100, 100, allow_nan=False).filter(lambda g: not 0 < 20 - abs(g) < 1e-6))
def test_the_printed_gap_is_on_the_same_side_of_the_threshold_as_its_flag(gap: float):
    # Gaps are differences of means of a few hundred answers on 0-100, so none
    # falls within a millionth below the threshold.
    flagged = abs(gap) >= 20.0
    printed = float(numbers.flagged_text(gap, 20.0, flagged).replace(MINUS, "-"))
    assert (abs(printed) >= 20.0) == flagged
