"""One click from an organisation's row in the network table to its own ties (issue 11)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from joinedup.reports.exports.tables import organisation_codes
from joinedup.reports.reading import match_name
from joinedup.surveys import services
from joinedup.surveys.models import Round
from tests.web.test_results import _answers, _url

LINK = re.compile(r'<a class="govuk-link" href="\?focus=([^"#]+)#network-map-focus">([^<]+)<span')
ROW = re.compile(r'<tr class="govuk-table__row">(.*?)</tr>', re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def closed(world) -> Round:
    """Police (8) and the NHS trust (6) report alone; the Council (3) and Age Well (2) merge.

    Everyone names every other organisation as a partner, so each one has
    ties both ways, and the Council's ratings of its partners are the ones
    that must never be shown.
    """
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police = world.org("Northshire Police")
    nhs = world.org("Northshire NHS Foundation Trust")
    council = world.org("Northshire County Council")
    age_well = world.org("Age Well Northshire")
    _answers(survey_round, police, 8, 4, partners=[nhs, council])
    _answers(survey_round, nhs, 6, 4, partners=[police, council])
    _answers(survey_round, council, 3, 1, partners=[police, nhs])
    _answers(survey_round, age_well, 2, 5, partners=[police])
    return services.close_round(survey_round)


def _network_page(world, survey_round, user, query: str = "") -> str:
    response = world.client(user).get(_url(world, survey_round, "results/network/") + query)
    assert response.status_code == 200
    return response.content.decode()


def _focused(page: str) -> str:
    return page.split('id="network-map-focus"', 1)[1].split("</figure>", 1)[0]


def _rows(html: str) -> list[list[str]]:
    rows = []
    for row in ROW.findall(html):
        cells = [unescape(TAG.sub("", c)).strip() for c in CELL.findall(row)]
        rows.append(cells)
    return rows


def _code(survey_round: Round, name: str) -> str:
    return organisation_codes(survey_round.result)[match_name(name)]


def test_each_organisation_in_the_network_table_links_to_its_own_ties(world, closed) -> None:
    page = _network_page(world, closed, world.carol)
    assert 'id="network-map-focus"' not in page
    links = dict((unescape(name), code) for code, name in LINK.findall(page))
    assert set(links) == set(closed.result["network"]["organisations"])
    for name, code in links.items():
        assert code == _code(closed, name)

    # One click: the link's address is the network page with that code.
    focused = _focused(
        _network_page(world, closed, world.carol, f"?focus={links['Northshire Police']}")
    )
    assert "Northshire Police: who it works with" in focused
    for row in _rows(focused):
        if "→" in row[0] and not row[0].startswith("Tie ("):
            assert "Northshire Police" in row[0].split(" → ")


def test_the_own_ties_of_a_merged_organisation_show_no_trust_given(world, closed) -> None:
    # The attack: Bob, Police's partner lead, knows the Council was merged into
    # "Other organisations" and opens the Council's own view by its code, to
    # read how the Council's three respondents rated Police.
    council = "Northshire County Council"
    assert any(
        council in u.get("organisations", []) for u in closed.result["units"] if u.get("combined")
    )
    focused = _focused(_network_page(world, closed, world.bob, f"?focus={_code(closed, council)}"))
    assert f"{council}: who it works with" in focused
    rows = _rows(focused)
    own = next(r for r in rows if r[0] == council)
    assert own[3] == "–" and own[5] == "–"  # trust given, value given
    given = [r for r in rows if r[0].startswith(f"{council} →")]
    assert given, "the Council's ties are listed"
    assert all(r[1:] == ["not shown", "not shown"] for r in given)
    # Police's own view does not reveal it either.
    police = _focused(
        _network_page(world, closed, world.bob, f"?focus={_code(closed, 'Northshire Police')}")
    )
    assert all(
        r[1:] == ["not shown", "not shown"]
        for r in _rows(police)
        if r[0].startswith(f"{council} →")
    )


def test_an_unknown_code_gets_the_chart_s_own_message_escaped(world, closed) -> None:
    page = _network_page(world, closed, world.carol, "?focus=O99")
    assert "no organisation called O99 is in the network" in _focused(page)
    hostile = _network_page(world, closed, world.carol, "?focus=%3Cscript%3E")
    assert "<script>" not in _focused(hostile)
    assert "&lt;script&gt;" in _focused(hostile)
