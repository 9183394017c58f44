"""Before closing, the facilitator sees what the results will hide, and nothing is stored."""

from __future__ import annotations

import re

import pytest

from joinedup.analysis.hidden import what_results_hide
from joinedup.surveys import services
from joinedup.surveys.models import Draft, Response, Round, RoundStatus

from .closing_steps import submit_answers


@pytest.fixture
def nearly_done(world) -> Round:
    """k = 5: Police (6) alone; Age Well (2) combined, and the Council (5) with it.

    Age Well's two alone would be a group smaller than k, so the smallest
    other organisation joins them (SPEC §3.5). Police rate the Council and Age
    Well; the Council and Age Well rate Police (a combined organisation's view
    of its partners: never shown).
    """
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    age_well = world.org("Age Well Northshire")
    submit_answers(survey_round, police, 6, answers=(2, 3, 4), partners=[council, age_well])
    submit_answers(survey_round, council, 5, answers=(3, 4), partners=[police])
    submit_answers(survey_round, age_well, 2, answers=(5,), partners=[police])
    return survey_round


def _close_page(world, survey_round: Round) -> str:
    url = f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/close/"
    response = world.client(world.alice).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str) -> str:
    return page[page.index('id="hidden"') : page.index("govuk-warning-text")]


def test_the_close_page_names_the_organisations_that_will_be_combined(world, nearly_done):
    section = _section(_close_page(world, nearly_done))
    assert "Organisations combined into “Other organisations”" in section
    assert re.findall(r"<li>([^<]+)</li>", section)[:2] == [
        "Age Well Northshire",
        "Northshire County Council",
    ]
    assert "fewer than 5 people answer" in section
    assert "so that the combined group reaches 5" in section
    assert "Northshire Police</li>" not in section


def test_the_close_page_counts_the_ties_that_will_be_drawn_without_figures(world, nearly_done):
    section = _section(_close_page(world, nearly_done))
    # Police → Age Well and Police → Council (6 raters) are shown; Council → Police
    # and Age Well → Police come from combined organisations.
    assert "2 of the 4 relationships" in section
    assert "2 because the rating organisation is combined" in section
    assert "fewer than 3 people from the rating organisation" not in section


def test_the_preview_agrees_with_what_closing_publishes(world, nearly_done) -> None:
    before = services.close_preview(nearly_done)
    closed = services.close_round(nearly_done)
    assert closed.result is not None
    assert what_results_hide(closed.result) == before


def test_looking_at_the_close_page_stores_nothing(world, nearly_done) -> None:
    # A facilitator opening the page (even many times) changes nothing: no result,
    # no reporting units, answers and their order untouched.
    answers = list(
        Response.objects.filter(round=nearly_done).order_by("pk").values("pk", "answers")
    )
    for _ in range(2):
        _close_page(world, nearly_done)
    nearly_done.refresh_from_db()
    assert nearly_done.status == RoundStatus.OPEN and nearly_done.result is None
    assert not nearly_done.reporting_units.exists()
    assert (
        list(Response.objects.filter(round=nearly_done).order_by("pk").values("pk", "answers"))
        == answers
    )
    assert Draft.objects.filter(round=nearly_done).count() == 0


def test_the_preview_tells_nobody_how_many_people_answered_from_an_organisation(
    world, nearly_done
) -> None:
    # The facilitator learns that Age Well is below the threshold, which the
    # published result also says, never that exactly two of its people answered.
    section = _section(_close_page(world, nearly_done))
    assert not re.search(r"(Age Well|Council)[^<]*\d", section)
    assert "2 people" not in section and "two people" not in section


def test_a_round_with_too_few_answers_says_no_figures_will_be_shown(world) -> None:
    survey_round = services.open_round(services.create_round(world.partnership, "Autumn"))
    submit_answers(survey_round, world.org("Northshire Police"), 3)
    assert "the results will show no figures at all" in _section(_close_page(world, survey_round))


def test_the_preview_is_only_for_facilitators(world, nearly_done) -> None:
    url = f"/partnerships/{world.partnership.pk}/rounds/{nearly_done.pk}/close/"
    assert world.client(world.carol).get(url).status_code == 403
    assert world.client(world.bob).get(url).status_code == 403


def test_the_preview_shows_no_figure_worked_out_from_the_answers(world, nearly_done) -> None:
    # A facilitator peeking before the close learns which organisations will be
    # combined and how many ties lack figures, never a score, a rating or a theme.
    section = _section(_close_page(world, nearly_done))
    result = services.round_result(nearly_done)
    for word in ("momentum", "score", "trust of", "theme", "Strain", "position"):
        assert word not in section
    police = next(u for u in result["units"] if u["name"] == "Northshire Police")
    shown = {f"{v['score']:.0f}" for v in police["scales"].values() if v["score"] is not None}
    numbers_in_page = set(re.findall(r"\b\d+\b", section))
    # Only the thresholds and tie counts appear: 5 (k), 3 (raters), 2 and 4 (ties).
    assert numbers_in_page <= {"5", "3", "2", "4"}
    assert not (shown - {"5", "3", "2", "4"}) & numbers_in_page
