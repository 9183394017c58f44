"""The HTML report passes axe-core in Chromium, on a desktop and a phone-sized screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from joinedup.reports.report import ReportOptions, render_html
from tests.reports import support


def test_the_html_report_has_no_serious_accessibility_violation(
    browser: Any, axe: Any, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    report.write_text(
        render_html(support.northshire(), ReportOptions(partnership="Northshire Together")),
        "utf-8",
    )
    for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
        page = browser.new_page(viewport=viewport)
        page.goto(report.as_uri())
        axe.check(page)
        if viewport["width"] == 320:
            assert page.evaluate("document.documentElement.scrollWidth") <= 330
        page.close()
    assert axe.violations == [], "\n".join(axe.violations)


SMALLEST_DRAWN_TEXT = """
() => [...document.querySelectorAll('figure.ju-chart svg')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(
    t => parseFloat(getComputedStyle(t).fontSize));
  return [svg.id || svg.getAttribute('aria-labelledby'), Math.min(...sizes) * scale];
})
"""


def test_on_a_phone_chart_text_stays_legible_and_only_the_chart_scrolls(
    browser: Any, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    report.write_text(render_html(support.northshire()), "utf-8")
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(report.as_uri())
    drawn = page.evaluate(SMALLEST_DRAWN_TEXT)
    assert len(drawn) == 6
    for chart, smallest in drawn:
        assert smallest >= 9 - 0.01, (chart, smallest)
    assert page.evaluate("document.documentElement.scrollWidth") <= 330
    page.close()
