"""Closing a round in Chromium: the progress page updates in place with JavaScript.

The live server queues the close in the database, as in production; the test
runs the worker itself while the page stays open. Without JavaScript the
same page refreshes itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.partnerships.models import Role
from joinedup.surveys import services
from joinedup.surveys.models import Round, RoundStatus
from tests.browser.synthetic import partnership_with_a_round, sign_in
from tests.web.worker import run_worker, task_queue, waiting_tasks  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("task_queue")]


@pytest.fixture
def closing(live_server: Any) -> Round:
    """A round of a small synthetic partnership, asked to close (the worker has not run)."""
    _, survey_round = partnership_with_a_round("fay@example.org", Role.FACILITATOR, seed=5)
    survey_round = services.close_round(survey_round)
    assert survey_round.status == RoundStatus.CLOSING and waiting_tasks() == 1
    return survey_round


def _progress(browser: Any, live_server: Any, closing: Round, javascript: bool) -> Any:
    page = browser.new_context(java_script_enabled=javascript).new_page()
    sign_in(page, live_server.url, "fay@example.org")
    page.goto(
        f"{live_server.url}/partnerships/{closing.partnership_id}/rounds/{closing.pk}/progress/"
    )
    return page


def test_with_javascript_the_progress_page_shows_the_results_when_the_close_is_done(
    live_server: Any, browser: Any, axe: Any, closing: Round
) -> None:
    page = _progress(browser, live_server, closing, javascript=True)
    status = page.get_by_role("status")
    assert status.inner_text() == "Closing the round: working out the results."
    assert page.get_by_role("heading", level=1).inner_text() == "In progress"
    axe.check(page)
    page.evaluate("window.stillTheSamePage = true")

    run_worker()
    page.get_by_role("link", name="See the results").wait_for(timeout=15000)
    assert status.inner_text() == "The round is closed and its results are ready."
    assert page.get_by_role("heading", level=1).inner_text() == "Done"
    assert page.evaluate("window.stillTheSamePage === true")  # updated in place
    axe.check(page)
    page.context.close()
    assert axe.violations == [], "\n".join(axe.violations)


def test_without_javascript_the_progress_page_refreshes_itself(
    live_server: Any, browser: Any, closing: Round
) -> None:
    page = _progress(browser, live_server, closing, javascript=False)
    assert page.get_by_role("heading", level=1).inner_text() == "In progress"
    run_worker()
    page.get_by_role("link", name="See the results").wait_for(timeout=15000)
    assert page.get_by_role("heading", level=1).inner_text() == "Done"
    page.context.close()
