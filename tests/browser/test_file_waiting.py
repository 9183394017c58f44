"""Waiting for a round's PDF in Chromium: a live status with JavaScript, a refresh without.

The live server queues tasks in the database, as in production; the test
runs the worker's tasks itself, and the page, still open, finds the file ready.
"""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.partnerships.models import Role
from joinedup.surveys import services
from joinedup.surveys.models import Round
from tests.browser.synthetic import partnership_with_a_round, sign_in
from tests.web.worker import run_worker, task_queue, waiting_tasks  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("task_queue")]


@pytest.fixture
def closed(live_server: Any) -> Round:
    """One closed round of a small synthetic partnership, with a viewer, carol."""
    _, survey_round = partnership_with_a_round("carol@example.org", Role.VIEWER, seed=3)
    return services.close_round(survey_round, in_worker=False)


def _signed_in(browser: Any, url: str, javascript: bool) -> Any:
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True)
    page = context.new_page()
    sign_in(page, url, "carol@example.org")
    return page


def _download_url(live_server: Any, closed: Round, kind: str) -> str:
    return (
        f"{live_server.url}/partnerships/{closed.partnership_id}/rounds/{closed.pk}"
        f"/download/{kind}/"
    )


def test_with_javascript_the_waiting_page_says_when_the_pdf_is_ready(
    live_server: Any, browser: Any, axe: Any, closed: Round
) -> None:
    page = _signed_in(browser, live_server.url, javascript=True)
    page.goto(_download_url(live_server, closed, "pdf"))
    assert page.url.endswith("/download/pdf/preparing/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Your PDF report is being prepared"
    status = page.get_by_role("status")
    assert status.inner_text() == "The file is waiting to be made."
    axe.check(page)
    assert waiting_tasks() == 1
    page.evaluate("window.stillTheSamePage = true")

    run_worker()
    # The page was not reloaded: the script asked for the status and said so.
    page.get_by_role("link", name="Download the PDF report").wait_for(timeout=15000)
    assert status.inner_text() == "Your PDF report is ready."
    assert heading.inner_text() == "Your PDF report is ready"
    assert page.evaluate("window.stillTheSamePage === true")
    assert page.get_by_text("checks again every few seconds").is_hidden()
    axe.check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF report").click()
    assert download.value.suggested_filename == "joinedup-riverside-together-round-1.pdf"
    page.context.close()
    assert axe.violations == [], "\n".join(axe.violations)


def test_without_javascript_the_waiting_page_refreshes_itself(
    live_server: Any, browser: Any, closed: Round
) -> None:
    page = _signed_in(browser, live_server.url, javascript=False)
    page.goto(_download_url(live_server, closed, "xlsx"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Your Excel workbook is being prepared"
    )
    assert page.get_by_role("link", name="Check again").is_visible()
    run_worker()
    # The <noscript> refresh loads the page again within about 5 seconds.
    page.get_by_role("link", name="Download the Excel workbook").wait_for(timeout=15000)
    assert page.get_by_role("heading", level=1).inner_text() == "Your Excel workbook is ready"
    page.context.close()
