"""The accessibility checker itself finds real problems (so a clean report means something)."""

from __future__ import annotations

from typing import Any


def test_axe_reports_a_serious_violation_on_a_broken_page(browser: Any, axe: Any) -> None:
    page = browser.new_page()
    page.set_content(
        "<html><head><title>Broken</title></head><body><main>"
        "<img src='chart.png'><input type='text'><a href='#'></a></main></body></html>"
    )
    axe.check(page)
    found = "\n".join(axe.violations)
    assert "image-alt" in found
    assert "label" in found
    page.close()
