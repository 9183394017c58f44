"""Colours are readable and never the only way a thing is told apart."""

from __future__ import annotations

import re

import pytest

from joinedup.reports import all_charts
from joinedup.reports.charts.palette import BAND_FILL, SECTOR_STYLE, contrast, ink_on
from joinedup.reports.charts.svg import INK, MUTED_INK


def test_contrast_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("fill", [*BAND_FILL.values(), *(c for c, _ in SECTOR_STYLE.values())])
def test_text_on_every_fill_reaches_four_and_a_half_to_one(fill):
    assert contrast(ink_on(fill), fill) >= 4.5


def test_body_text_colours_reach_four_and_a_half_to_one_on_white_and_zones():
    from joinedup.reports.charts.palette import ZONE_FILL

    for background in ["#ffffff", "#f6f6f6", *ZONE_FILL.values()]:
        assert contrast(INK, background) >= 4.5
        assert contrast(MUTED_INK, background) >= 4.5


def test_sector_letters_are_all_different():
    letters = [letter for _, letter in SECTOR_STYLE.values()]
    assert len(set(letters)) == len(letters)


def test_every_text_fill_in_every_chart_is_a_checked_colour(northshire, sectors):
    allowed = {INK, MUTED_INK, "#ffffff", "#882255"}
    for chart in all_charts(northshire, sectors=sectors):
        fills = set(re.findall(r'<text[^>]* fill="(#[0-9a-f]{6})"', chart.svg))
        assert fills <= allowed, chart.id
