"""The toolkit's pages pass axe-core in Chromium at desktop and phone widths, and a new
visitor finds, previews and downloads a tool from the header without signing in."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.toolkit.catalogue import TOOLS

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_toolkit_pages_have_no_serious_accessibility_violation(
    live_server: Any, browser: Any, axe: Any
) -> None:
    urls = [f"{live_server.url}/toolkit/"] + [
        f"{live_server.url}/toolkit/{tool.slug}/" for tool in TOOLS
    ]
    for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            axe.check(page)
            if viewport["width"] == 320:
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 330, f"{url} scrolls sideways on a phone ({width}px)"
        context.close()
    assert axe.violations == [], "\n".join(axe.violations)


def test_a_visitor_finds_previews_and_downloads_a_tool_from_the_header(
    live_server: Any, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Toolkit").click()
    page.get_by_role("link", name="Paper questionnaire").click()
    assert page.get_by_role("heading", name="Preview of the first page").is_visible()
    assert page.get_by_text("Respondent code").first.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Paper questionnaire (PDF, printable and accessible)").click()
    assert download.value.suggested_filename.startswith("joinedup-paper-questionnaire-")
    assert download.value.suggested_filename.endswith(".pdf")
    context.close()
