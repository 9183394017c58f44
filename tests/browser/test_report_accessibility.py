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
