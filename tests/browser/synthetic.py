"""Set-up shared by the browser tests: a synthetic partnership with one round of
imported answers, and signing in through the real sign-in page."""

from __future__ import annotations

from typing import Any

from joinedup.accounts.models import User
from joinedup.analysis.synth import SynthSpec, generate
from joinedup.partnerships.models import Membership, Organisation, Partnership
from joinedup.surveys import importing, services
from joinedup.surveys.models import Round

PASSWORD = "a long facilitator passphrase"


def partnership_with_a_round(email: str, role: str, seed: int) -> tuple[Partnership, Round]:
    """Riverside Together (6 organisations), one member, and "Round 1" open with 60 answers."""
    tables = generate(SynthSpec(organisations=6, respondents=60, rounds=1, seed=seed))
    partnership = Partnership.objects.create(name="Riverside Together")
    for row in tables["organisations"].itertuples():
        Organisation.objects.create(
            partnership=partnership, name=row.organisation, sector=row.sector
        )
    user = User.objects.create_user(email, PASSWORD)
    Membership.objects.create(partnership=partnership, user=user, role=role)
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
    return partnership, survey_round


def sign_in(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
