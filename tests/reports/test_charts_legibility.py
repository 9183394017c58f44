"""Charts stay readable at 40 organisations and on a 320-pixel phone."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from joinedup.reports import alignment_diagram, all_charts, figure_html, position_map
from joinedup.reports.charts.labels import LINE_HEIGHT, Box
from joinedup.reports.charts.svg import SMALL, text_width

SVG = "{http://www.w3.org/2000/svg}"
PHONE = 320  # CSS pixels: the narrowest screen WCAG's reflow asks for
LEGIBLE = 9  # pixels


def label_boxes(svg_text: str) -> list[tuple[str, Box]]:
    """The box of every point label, as the chart placed it (its font-size group)."""
    root = ET.fromstring(svg_text)
    group = next(g for g in root.iter(f"{SVG}g") if g.get("font-size") == str(SMALL))
    boxes = []
    for text in group.iter(f"{SVG}text"):
        label = "".join(text.itertext())
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        width = text_width(label, SMALL, text.get("font-weight") == "bold")
        left = {"start": x, "end": x - width}.get(text.get("text-anchor", "start"), x - width / 2)
        half = SMALL * LINE_HEIGHT / 2
        boxes.append((label, Box(left, y - half, left + width, y + half)))
    return boxes


@pytest.mark.parametrize("draw", [position_map, alignment_diagram])
def test_at_forty_organisations_every_point_has_a_label_and_no_two_overlap(
    forty: dict[str, Any], draw: Any
) -> None:
    chart = draw(forty)
    boxes = label_boxes(chart.svg)
    labels = [label for label, _ in boxes]
    assert {str(n) for n in range(1, len(forty["units"]) + 1)} <= set(labels)
    for i, (first, one) in enumerate(boxes):
        for second, other in boxes[i + 1 :]:
            assert not one.overlaps(other), (first, second)


def test_on_a_phone_no_chart_text_is_drawn_below_nine_pixels(
    forty: dict[str, Any], northshire: dict[str, Any]
) -> None:
    for result in (forty, northshire):
        for chart in all_charts(result):
            root = ET.fromstring(chart.svg)
            view_width = float(root.get("viewBox", "0 0 0 0").split()[2])
            style = root.get("style", "")
            minimum = float(re.search(r"min-width:([\d.]+)px", style).group(1))  # type: ignore[union-attr]
            shown = max(PHONE, minimum)  # narrower than min-width it never gets
            sizes = [float(t.get("font-size", SMALL)) for t in root.iter(f"{SVG}text")]
            sizes += [float(g.get("font-size")) for g in root.iter(f"{SVG}g") if g.get("font-size")]
            smallest = min(sizes) * shown / view_width
            assert smallest >= LEGIBLE - 1e-9, (chart.id, smallest)


def test_a_chart_too_wide_for_a_phone_scrolls_in_its_own_focusable_region(
    forty: dict[str, Any],
) -> None:
    chart = all_charts(forty)[4]  # the network map, the widest
    html = figure_html(chart)
    region = re.search(r'<div class="ju-chart__picture"([^>]*)>', html)
    assert region is not None
    assert 'role="region"' in region.group(1) and 'tabindex="0"' in region.group(1)
    assert f"{chart.title}: chart" in region.group(1)


def test_the_heatmap_names_every_organisation_in_full(forty: dict[str, Any]) -> None:
    from joinedup.reports import unit_heatmap

    long_name = "Northshire and Westford Integrated Care Board for Adults and Children"
    renamed = {**forty, "units": [{**forty["units"][0], "name": long_name}, *forty["units"][1:]]}
    chart = unit_heatmap(renamed)
    drawn = " ".join("".join(t.itertext()) for t in ET.fromstring(chart.svg).iter(f"{SVG}text"))
    assert "…" not in drawn
    for unit in renamed["units"]:
        assert unit["name"] in drawn or all(word in drawn for word in unit["name"].split())
