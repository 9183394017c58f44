"""The results page, downloads and their audit log."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import networkx as nx
import openpyxl
import pytest
from django.test import Client

from joinedup.results.models import Download
from joinedup.surveys import services
from joinedup.surveys.models import Round
from tests.web.survey_steps import invite

from .survey_steps import INSTRUMENT, answer_everything, start, submit


def _answers(survey_round, organisation, count: int, answer: int, partners=()) -> None:
    links, _ = invite(
        survey_round,
        [
            (f"{survey_round.pk}-{organisation.pk}-{i}@example.org", organisation)
            for i in range(count)
        ],
    )
    for link in links:
        person = Client()
        token = start(person, link.token)
        answer_everything(person, token, answer=answer, partners=[p.pk for p in partners],
                          comments={"TEXT_IMPORTANT": "Hospital discharge delays"})  # fmt: skip
        submit(person, token)


@pytest.fixture
def closed(world) -> Round:
    """A closed round: Police (8) and the Council (6) own units.

    Age Well (2) is too small alone; "Other organisations" then takes the
    smallest own unit too: the Council. Police stays on its own.
    """
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    _answers(survey_round, police, 8, 4, partners=[council])
    _answers(survey_round, council, 6, 2, partners=[police])
    _answers(survey_round, world.org("Age Well Northshire"), 2, 5)
    return services.close_round(survey_round)


def _url(world, survey_round, tail: str = "results/") -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/{tail}"


SECTIONS = ("scores", "network", "words", "how")


def _all_pages(world, survey_round, user=None) -> str:
    """The summary and every part of the results, one after another."""
    client = world.client(user or world.alice)
    pages = [client.get(_url(world, survey_round)).content.decode()]
    for section in SECTIONS:
        response = client.get(_url(world, survey_round, f"results/{section}/"))
        assert response.status_code == 200, section
        pages.append(response.content.decode())
    return "\n".join(pages)


def test_every_member_sees_the_results_in_plain_english(world, closed) -> None:
    for user in (world.alice, world.bob, world.carol):
        page = world.client(user).get(_url(world, closed)).content.decode()
        assert "Results: Spring 2027" in page
        assert "What to do next" in page
        assert "What the partnership does well" in page
        assert page.count("<svg") == 1  # the position map; the rest is one step away
        everything = _all_pages(world, closed, user)
        assert everything.count("<svg") == 6
        assert "Hospital discharge delays" in everything  # 14 answered: at least 10


def test_the_merged_organisation_has_no_figure_on_the_results_page(world, closed) -> None:
    page = _all_pages(world, closed)
    assert closed.result["units"][-1]["combined"] is True
    # Outside the network chart (governed by min_tie_raters), Age Well is never named.
    outside_network = (
        page.split('id="network-map"')[0]
        + page.split('id="network-map"')[1].split("</figure>", 1)[1]
    )
    for merged in ("Age Well Northshire", "Northshire County Council"):
        assert merged not in outside_network


def test_an_open_round_says_results_come_at_close_with_counts_and_no_names(
    world, open_round
) -> None:
    from joinedup.surveys import services as surveys

    surveys.add_invitations(
        open_round,
        [
            ("pat@example.org", world.org("Northshire Police")),
            ("sam@example.org", world.org("Northshire Police")),
        ],
    )
    for person in (world.alice, world.bob, world.carol):
        response = world.client(person).get(_url(world, open_round))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Results appear when the round closes" in page
        assert "0 responses so far" in page
        police_row = page.split("Northshire Police</th>")[1].split("</tr>")[0]
        assert [c.split(">")[-1] for c in police_row.split("</td>")[:2]] == ["2", "0"]
        assert "pat@example.org" not in page and "sam@example.org" not in page
    # Not a member: still not found.
    assert world.client(world.dave).get(_url(world, open_round)).status_code == 404


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [
        ("json", "application/json"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "application/zip"),
        ("graphml", "application/graphml+xml"),
        ("pdf", "application/pdf"),
    ],
)
def test_each_download_is_the_result_in_that_format_and_is_logged(
    world, closed, kind: str, content_type: str
) -> None:
    response = world.client(world.carol).get(_url(world, closed, f"download/{kind}/"))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    if kind == "json":
        assert json.loads(body) == closed.result
    elif kind == "xlsx":
        assert "Scales" in openpyxl.load_workbook(io.BytesIO(body)).sheetnames
    elif kind == "csv":
        assert any(n.endswith(".csv") for n in zipfile.ZipFile(io.BytesIO(body)).namelist())
    elif kind == "graphml":
        assert "Northshire Police" in nx.read_graphml(io.BytesIO(body)).nodes
    else:
        assert body.startswith(b"%PDF-")
    logged = Download.objects.get()
    assert (logged.user, logged.round, logged.what, logged.via) == (
        world.carol,
        closed,
        kind,
        "web",
    )


def test_only_facilitators_get_the_anonymised_responses(world, closed) -> None:
    url = _url(world, closed, "download/responses/")
    for user in (world.bob, world.carol):
        assert world.client(user).get(url).status_code == 403
    response = world.client(world.alice).get(url)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 16
    assert {r["organisation"] for r in rows} == {"Northshire Police", "Other organisations"}
    assert sum(r["organisation"] == "Other organisations" for r in rows) == 8
    assert "Age Well" not in response.content.decode()
    assert "County Council" not in response.content.decode()
    assert "Hospital discharge" not in response.content.decode()  # no free text
    assert set(rows[0]) == {"respondent_id", "organisation", "role", *INSTRUMENT.item_codes}
    assert Download.objects.filter(what="responses", user=world.alice).count() == 1


def test_the_download_log_is_for_facilitators(world, closed) -> None:
    world.client(world.carol).get(_url(world, closed, "download/json/"))
    log = f"/partnerships/{world.partnership.pk}/downloads/"
    assert world.client(world.carol).get(log).status_code == 403
    page = world.client(world.alice).get(log).content.decode()
    assert "carol@example.org" in page and "Full result (JSON)" in page


def test_an_unknown_download_is_not_found(world, closed) -> None:
    assert world.client(world.alice).get(_url(world, closed, "download/exe/")).status_code == 404


def test_the_next_round_carries_the_trend_and_the_overview_shows_the_path(world, closed) -> None:
    later = services.open_round(services.create_round(world.partnership, "Autumn 2027"))
    _answers(later, world.org("Northshire Police"), 6, 5)
    _answers(later, world.org("Northshire County Council"), 6, 3)
    later = services.close_round(later)
    trend = later.result["trend"]
    assert trend["previous_round"] == "Spring 2027"
    # Police is its own unit both times; the council's group changed, so it is not compared.
    assert {u["name"] for u in trend["units"]} == {"Northshire Police"}
    overview = world.client(world.carol).get(f"/partnerships/{world.partnership.pk}/")
    page = overview.content.decode()
    assert "The partnership&#x27;s path, round by round" in page or "path, round by round" in page
    assert "Spring 2027" in page and "Autumn 2027" in page


def test_the_pdf_and_the_overview_carry_the_status_of_the_plan(world, closed, tmp_path) -> None:
    import shutil
    import subprocess

    from joinedup.actions import services as actions

    actions.start_from_recommendation(closed, closed.result["recommendations"][0]["action"])
    overview = world.client(world.carol).get(f"/partnerships/{world.partnership.pk}/")
    assert "1 action: 1 not started" in overview.content.decode()
    pdf = world.client(world.alice).get(_url(world, closed, "download/pdf/")).content
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Status of the action plan" in text
    assert closed.result["recommendations"][0]["title"] in text


def test_an_action_starts_from_a_recommendation_in_one_click(world, closed) -> None:
    from joinedup.actions.models import Action

    page = world.client(world.alice).get(_url(world, closed)).content.decode()
    area = closed.result["recommendations"][0]["action"]
    assert f'name="area" value="{area}"' in page
    response = world.client(world.alice).post(
        f"/partnerships/{world.partnership.pk}/plan/from-round/{closed.pk}/", {"area": area}
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.title == closed.result["recommendations"][0]["title"]
    assert (
        "Add to the action plan"
        not in world.client(world.carol).get(_url(world, closed)).content.decode()
    )
