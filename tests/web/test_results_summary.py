"""The results summary a board reads first, the parts one step away, and the method page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from joinedup.analysis import methodology
from joinedup.analysis.summary import summarise
from joinedup.analysis.vocabulary import MOMENTUM, POSITIONS, PULL
from joinedup.instrument import load_instrument
from joinedup.surveys import services
from joinedup.surveys.models import Round

from .closing_steps import submit_answers

ROOT = Path(__file__).resolve().parents[2]
# Words a board member should not meet before choosing to open the technical detail.
JARGON = ("Welch", "ICC", "rwg", "r<sub>wg</sub>", "p-value", "alpha", "(COMMIT)", "(STRAIN)",
          "tipping point and a breaking point at once", "Emerging")  # fmt: skip


def _close(world, label: str, answers: tuple[int, ...]) -> Round:
    survey_round = services.open_round(services.create_round(world.partnership, label))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    submit_answers(survey_round, police, 6, answers=answers, partners=[council])
    submit_answers(survey_round, council, 5, answers=answers, partners=[police])
    return services.close_round(survey_round)


@pytest.fixture
def two_rounds(world) -> tuple[Round, Round]:
    first = _close(world, "Spring 2027", (2, 3))
    return first, _close(world, "Autumn 2027", (4, 5))


def _get(world, survey_round: Round, tail: str = "", user=None) -> str:
    url = f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/results/{tail}"
    response = world.client(user or world.carol).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_the_summary_says_where_the_partnership_stands_and_how_it_moved(world, two_rounds):
    _, second = two_rounds
    page = _main(_get(world, second))
    summary = summarise(second.result, load_instrument())
    headings = re.findall(r'<h2 class="govuk-heading-l" id="(\w+)"', page)
    assert headings[:4] == ["where", "change", "next", "strengths"]
    assert POSITIONS[second.result["partnership"]["position"]] in page
    assert MOMENTUM in page and PULL in page
    # Every answer rose, so momentum rose and so did strain: a mixed picture, said plainly.
    assert summary.verdict_sentence in page.replace("&#x27;", "'")
    assert "Spring 2027" in summary.verdict_sentence
    assert page.count('<li>\n    <h3 class="govuk-heading-m') == len(summary.steps) >= 2


def test_the_summary_before_any_earlier_round_says_there_is_nothing_to_compare(world):
    only = _close(world, "Spring 2027", (2, 4))
    assert "nothing to compare with yet" in _get(world, only)


def test_the_main_view_has_no_statistical_terms_or_codes(world, two_rounds) -> None:
    _, second = two_rounds
    for page in (_get(world, second), _get(world, second, "scores/")):
        main = _main(page)
        for term in JARGON:
            assert term not in main, term


def test_technical_terms_are_in_how_we_worked_this_out_each_explained(world, two_rounds):
    _, second = two_rounds
    page = _main(_get(world, second, "how/"))
    for term in ("Cronbach’s alpha", "ICC(1)", "ICC(2)", "Welch’s t-test", "95% interval"):
        assert f'<dt class="govuk-summary-list__key">{term}</dt>' in page


def test_the_change_page_shows_changes_that_add_up(world, two_rounds) -> None:
    _, second = two_rounds
    page = _main(_get(world, second, "change/"))
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">[^<]+</th>'
        r"<td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>",
        page,
    )
    assert len(rows) == 9
    for then, now, change in rows:
        step = 0 if change == "no change" else int(change.replace("\u2212", "-"))
        assert int(then) + step == int(now)
        assert change == "no change" or change[0] in "+\u2212"


def test_a_part_that_does_not_exist_is_not_found(world, two_rounds) -> None:
    first, _ = two_rounds
    base = f"/partnerships/{world.partnership.pk}/rounds/{first.pk}/results/"
    client = world.client(world.carol)
    assert client.get(base + "nonsense/").status_code == 404
    assert client.get(base + "change/").status_code == 404  # the first round has no trend


def test_another_partnership_cannot_read_a_part_of_the_results(world, two_rounds) -> None:
    _, second = two_rounds
    url = f"/partnerships/{world.partnership.pk}/rounds/{second.pk}/results/network/"
    assert world.client(world.dave).get(url).status_code in (403, 404)


def test_the_overview_opens_with_the_latest_summary(world, two_rounds) -> None:
    _, second = two_rounds
    page = world.client(world.carol).get(f"/partnerships/{world.partnership.pk}/").content.decode()
    assert "Where the partnership stands" in page
    assert "From Autumn 2027" in page
    assert POSITIONS[second.result["partnership"]["position"]] in page
    assert "What to do next" in page


def test_the_method_page_is_public_and_lists_every_statement(client) -> None:
    page = client.get("/method/").content.decode()
    instrument = load_instrument()
    for scale in instrument.scales:
        assert f'<h3 class="govuk-heading-m">{scale.name}</h3>' in page
    for item in instrument.items:
        assert item.text.replace("'", "&#x27;") in page
    assert page.count("(worded the other way round)") == len(instrument.reverse_items)


def test_the_methodology_in_the_docs_is_the_one_the_code_writes() -> None:
    written = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    assert written == methodology.as_markdown(load_instrument()), (
        "docs/methodology.md is out of date: run `joinedup methodology > docs/methodology.md`"
    )


def test_the_methodology_follows_the_instrument_file() -> None:
    instrument = load_instrument()
    text = methodology.as_markdown(instrument)
    assert text.count("\n- ") == len(instrument.items)
    assert text.count("*(worded the other way round)*") == len(instrument.reverse_items)
    # The privacy thresholds of revision 2: combined organisations, tie raters, text.
    assert "at least 3 people from the rating organisation" in text
    assert "never below 2" in text and "at least 10 people answered" in text
    assert "Intervals are kept within 0 to 100" in text


def test_the_results_pages_link_to_the_method(world, two_rounds) -> None:
    _, second = two_rounds
    assert 'href="/method/"' in _get(world, second)
    assert 'href="/method/"' in _get(world, second, "how/")
