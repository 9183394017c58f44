"""The toolkit's pages pass axe-core in Chromium at desktop and phone widths, and a new
visitor finds, previews and downloads a tool from the header without signing in."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.toolkit.catalogue import TOOLS
from tests.browser.synthetic import partnership_with_a_round, sign_in

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


# ------------------------------------------- the weekly update's pages, and the round's date


@pytest.fixture
def partnership(live_server: Any) -> Any:
    """A closed round, an open one closing in 12 days, an action due and a meeting."""
    import datetime

    from django.utils import timezone

    from joinedup.actions.models import Action, Meeting
    from joinedup.partnerships.models import Role
    from joinedup.surveys import services

    partnership, closed = partnership_with_a_round("alice@example.org", Role.FACILITATOR, seed=3)
    services.close_round(closed)
    today = timezone.localdate()
    services.open_round(
        services.create_round(partnership, "Round 2", today + datetime.timedelta(days=12))
    )
    Action.objects.create(
        partnership=partnership, area="ambition", title="Agree the shared data protocol",
        due_date=today + datetime.timedelta(days=3),
    )  # fmt: skip
    Meeting.objects.create(
        partnership=partnership, title="Board", date=today + datetime.timedelta(days=2)
    )
    return partnership


def _sign_in(page: Any, url: str) -> None:
    sign_in(page, url, "alice@example.org")


def _check(page: Any, axe: Any) -> None:
    axe.check(page)
    if page.viewport_size["width"] == 320:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 330, f"{page.url} scrolls sideways on a phone ({width}px)"


def _visit(page: Any, axe: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    _check(page, axe)


def test_the_weekly_update_pages_and_the_closing_date_have_no_serious_violation(
    live_server: Any, browser: Any, axe: Any, partnership: Any
) -> None:
    base = f"{live_server.url}/partnerships/{partnership.pk}"
    open_round = partnership.rounds.get(label="Round 2")
    for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        _sign_in(page, live_server.url)
        _visit(page, axe, f"{live_server.url}/weekly-update/")
        # After saving: the page again, with its success banner.
        page.get_by_label("Riverside Together").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save choices").click()
        assert page.get_by_text("Your weekly update is on for 1 partnership").is_visible()
        _check(page, axe)
        _visit(page, axe, f"{base}/weekly-update/")
        preview = page.locator("main").inner_text()
        assert "12 days left" in preview and "Agree the shared data protocol" in preview
        _visit(page, axe, f"{base}/rounds/new/")
        _visit(page, axe, f"{base}/rounds/{open_round.pk}/")
        _visit(page, axe, f"{base}/rounds/{open_round.pk}/closing-date/")
        # A date that does not exist: the error summary and the three boxes in error.
        page.get_by_label("Day").fill("31")
        page.get_by_label("Month").fill("2")
        page.get_by_label("Year").fill("2031")
        with page.expect_navigation():
            page.get_by_role("button", name="Save the date").click()
        assert page.get_by_role(
            "link", name="The planned closing date must be a real date"
        ).is_visible()
        _check(page, axe)
        context.close()
    assert len(axe.pages) == 14
    assert axe.violations == [], "\n".join(axe.violations)
