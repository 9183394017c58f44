"""Browser tests: Debian's Chromium driven by Playwright, with axe-core for accessibility.

Playwright's own browser download does not work on our machines, so the tests
launch the system Chromium (apt package `chromium`). axe-core comes from the
npm package installed at set-up. Tests here are marked `browser` and skipped
when Chromium is missing, so that a developer without it still runs the rest.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in the test thread; the Django test
# database is still used synchronously from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


class AxeReport:
    """Runs axe-core on each page visited and keeps the serious and critical violations."""

    def __init__(self) -> None:
        self.pages: list[str] = []
        self.violations: list[str] = []

    def check(self, page: Any) -> None:
        # Evaluated through the DevTools protocol, not added as a <script>: the
        # site's Content Security Policy rightly refuses inline script, and the
        # test must not weaken it to check the page.
        if not getattr(page, "_joinedup_watched", False):
            # From now on, anything the Content Security Policy blocks on this tab
            # is reported with the accessibility violations.
            page.on("console", lambda message: self._blocked(page, message.text))
            page._joinedup_watched = True
        # The site's pages run its own script; a self-contained report opened
        # from a file has none to run.
        served = page.url.startswith("http")
        if served and not page.evaluate("document.body.classList.contains('js-enabled')"):
            self.violations.append(f"{page.url}: the site's own script did not run")
        page.evaluate(_axe_source())
        results = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
        )
        self.pages.append(page.url)
        for violation in results["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [node["target"] for node in violation["nodes"]][:3]
                self.violations.append(
                    f"{page.url}: {violation['id']} ({violation['impact']}): "
                    f"{violation['help']} at {targets}"
                )

    def _blocked(self, page: Any, text: str) -> None:
        if "Content Security Policy" in text:
            self.violations.append(f"{page.url}: blocked by the policy: {text}")


@pytest.fixture
def axe() -> AxeReport:
    return AxeReport()
