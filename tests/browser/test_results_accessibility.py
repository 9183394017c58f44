"""The results pages pass axe-core in Chromium, for a facilitator and for a viewer."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.accounts.models import User
from joinedup.analysis.synth import SynthSpec, generate
from joinedup.partnerships.models import Membership, Organisation, Partnership, Role
from joinedup.reports.exports.tables import organisation_codes
from joinedup.surveys import importing, services

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a long facilitator passphrase"


@pytest.fixture
def partnership(live_server: Any) -> Partnership:
    """Two closed rounds and one open, from a synthetic partnership of twelve organisations."""
    tables = generate(SynthSpec(organisations=12, respondents=150, rounds=3, seed=5))
    partnership = Partnership.objects.create(name="Riverside Together")
    for row in tables["organisations"].itertuples():
        Organisation.objects.create(
            partnership=partnership, name=row.organisation, sector=row.sector
        )
    for email, role in (
        ("alice@example.org", Role.FACILITATOR),
        ("carol@example.org", Role.VIEWER),
    ):
        user = User.objects.create_user(email, PASSWORD)
        Membership.objects.create(partnership=partnership, user=user, role=role)
    responses, ratings = tables["responses"], tables["relationships"]
    for number in (1, 2, 3):
        label = f"Round {number}"
        survey_round = services.open_round(services.create_round(partnership, label))
        importing.import_files(
            survey_round,
            importing.Upload(
                "responses.csv",
                responses[responses["round"] == label]
                .drop(columns="round")
                .to_csv(index=False)
                .encode(),
            ),
            importing.Upload(
                "relationships.csv",
                ratings[ratings["round"] == label]
                .drop(columns="round")
                .to_csv(index=False)
                .encode(),
            ),
        )
        if number < 3:
            services.close_round(survey_round)
    return partnership


def _sign_in(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_results_pages_have_no_serious_accessibility_violation(
    live_server: Any, browser: Any, axe: Any, partnership: Partnership
) -> None:
    rounds = list(partnership.rounds.order_by("created_at"))
    base = f"{live_server.url}/partnerships/{partnership.pk}"
    # One organisation's own ties, as the link in its row of the network table opens them.
    first_code = sorted(organisation_codes(rounds[1].result).values())[0]
    pages = {
        "alice@example.org": [
            f"{base}/",
            f"{base}/rounds/{rounds[1].pk}/results/",
            # Each part of the results, one step from the summary (issue 11).
            *(
                f"{base}/rounds/{rounds[1].pk}/results/{part}/"
                for part in ("scores", "network", "words", "change", "how")
            ),
            f"{base}/rounds/{rounds[1].pk}/results/network/?focus={first_code}",
            f"{base}/rounds/{rounds[2].pk}/close/",  # what the results will hide
            f"{live_server.url}/method/",
            f"{base}/rounds/{rounds[1].pk}/",
            f"{base}/rounds/{rounds[2].pk}/",
            f"{base}/rounds/{rounds[2].pk}/open-links/",
            f"{base}/rounds/{rounds[2].pk}/log/",
            f"{base}/downloads/",
            f"{base}/organisations/",
            f"{base}/people/",
            f"{base}/settings/",
        ],
        "carol@example.org": [
            f"{base}/",
            f"{base}/rounds/{rounds[0].pk}/results/",
            f"{base}/rounds/{rounds[0].pk}/results/network/",
            f"{base}/rounds/{rounds[2].pk}/",
        ],
    }
    for email, urls in pages.items():
        for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            _sign_in(page, live_server.url, email)
            for url in urls:
                response = page.goto(url)
                assert response is not None and response.status == 200, url
                axe.check(page)
                if viewport["width"] == 320:
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= 330, f"{url} scrolls sideways on a phone ({width}px)"
                elif url.endswith("/results/"):
                    # The summary is a few minutes' reading, not a 22,000-pixel scroll.
                    height = page.evaluate("document.documentElement.scrollHeight")
                    assert height < 4500, f"{url} is {height}px long"
            context.close()
    assert axe.violations == [], "\n".join(axe.violations)


def test_the_network_map_shows_an_organisation_s_figures_on_focus_and_hover(
    live_server: Any, browser: Any, partnership: Partnership
) -> None:
    closed = partnership.rounds.order_by("created_at").first()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, live_server.url, "carol@example.org")
    page.goto(
        f"{live_server.url}/partnerships/{partnership.pk}/rounds/{closed.pk}/results/network/"
    )
    details = page.locator(".ju-network-details")
    assert "Point at or tab to an organisation" in details.inner_text()
    first = page.locator("g.ju-node").first
    first.focus()
    assert "Trust received" in details.inner_text()
    name = details.inner_text().split(".")[0]
    page.locator("g.ju-node").nth(3).hover()
    assert details.inner_text().split(".")[0] != name
    page.close()
