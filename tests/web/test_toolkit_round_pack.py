"""The workshop pack made for a closed round: the partnership's own headline, position map,
recommendations and flagged pairs, for its facilitators only."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from joinedup.analysis.vocabulary import FLAGS, POSITIONS
from joinedup.reports.charts import position_map
from joinedup.reports.reading import network
from joinedup.surveys import services
from joinedup.surveys.models import Round

from .closing_steps import submit_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world) -> Round:
    """Police trusts the Council; the Council does not trust Police back. Both are own units."""
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    submit_answers(survey_round, police, 6, answers=(4,), partners=[council])
    submit_answers(survey_round, council, 6, answers=(1,), partners=[police])
    return services.close_round(survey_round)


def _url(partnership_id: int, round_id: int) -> str:
    return f"/toolkit/workshop-pack/partnerships/{partnership_id}/rounds/{round_id}/"


def _text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(content)
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.replace("\u2019", "'").split())


def test_a_facilitator_prints_the_pack_for_their_closed_round(world, closed, tmp_path) -> None:
    response = world.client(world.alice).get(_url(world.partnership.pk, closed.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "joinedup-workshop-pack-round-" in response["Content-Disposition"]
    text = _text(response.content, tmp_path)
    result = closed.result
    assert "Northshire: results workshop" in text
    assert POSITIONS[result["partnership"]["position"]] in text
    for action in sorted(result["recommendations"], key=lambda a: a["priority"])[:3]:
        assert action["title"] in text
    pairs = [f for f in network(result)["flags"] if f["type"] != "isolate"]
    assert pairs, "the fixture should flag the Police and Council pair"
    for flag in pairs:
        assert f"{flag['a']} and {flag['b']}" in text
        assert FLAGS[flag["type"]] in text
    # The position map, with its description beside it.
    description = " ".join(position_map(result).description.replace("\u2019", "'").split())
    assert description[:80] in text


def test_the_toolkit_page_offers_a_facilitator_their_rounds_packs(world, closed) -> None:
    page = world.client(world.alice).get("/toolkit/workshop-pack/").content.decode()
    assert _url(world.partnership.pk, closed.pk) in page
    for person in (None, world.bob, world.carol, world.dave):
        page = world.client(person).get("/toolkit/workshop-pack/").content.decode()
        assert _url(world.partnership.pk, closed.pk) not in page


def test_another_partnerships_facilitator_gets_not_found(world, closed) -> None:
    assert world.client(world.dave).get(_url(world.partnership.pk, closed.pk)).status_code == 404
    # Nor through their own partnership's address.
    assert world.client(world.dave).get(_url(world.other.pk, closed.pk)).status_code == 404


def test_only_facilitators_get_the_pack(world, closed) -> None:
    url = _url(world.partnership.pk, closed.pk)
    assert world.client(world.bob).get(url).status_code == 403
    assert world.client(world.carol).get(url).status_code == 403
    assert world.client(None).get(url).status_code == 302  # to sign in


def test_an_open_round_has_no_pack(world, open_round) -> None:
    url = _url(world.partnership.pk, open_round.pk)
    assert world.client(world.alice).get(url).status_code == 404
