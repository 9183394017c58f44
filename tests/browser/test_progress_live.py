"""Closing a round in Chromium: the progress page updates in place with JavaScript.

The live server queues the close in the database, as in production; the test
runs the worker itself while the page stays open. Without JavaScript the
same page refreshes itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.accounts.models import User
from joinedup.analysis.synth import SynthSpec, generate
from joinedup.partnerships.models import Membership, Organisation, Partnership, Role
from joinedup.surveys import importing, services
from joinedup.surveys.models import Round, RoundStatus
from tests.web.worker import run_worker, task_queue, waiting_tasks  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("task_queue")]
PASSWORD = "a long facilitator passphrase"


@pytest.fixture
def closing(live_server: Any) -> Round:
    """A round of a small synthetic partnership, asked to close (the worker has not run)."""
    tables = generate(SynthSpec(organisations=6, respondents=60, rounds=1, seed=5))
    partnership = Partnership.objects.create(name="Riverside Together")
    for row in tables["organisations"].itertuples():
        Organisation.objects.create(
            partnership=partnership, name=row.organisation, sector=row.sector
        )
    user = User.objects.create_user("fay@example.org", PASSWORD)
    Membership.objects.create(partnership=partnership, user=user, role=Role.FACILITATOR)
    survey_round = services.open_round(services.create_round(partnership, "Round 1"))
    importing.import_files(
        survey_round,
        *(
            importing.Upload(
                f"{name}.csv",
                tables[name].drop(columns="round", errors="ignore").to_csv(index=False).encode(),
            )
            for name in ("responses", "relationships")
        ),
    )
    survey_round = services.close_round(survey_round)
    assert survey_round.status == RoundStatus.CLOSING and waiting_tasks() == 1
    return survey_round


def _progress(browser: Any, live_server: Any, closing: Round, javascript: bool) -> Any:
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill("fay@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
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
