"""A round's life: draft, open, closed for good with its result; imports into a round."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from joinedup.analysis import analyse, load_tables
from joinedup.surveys import services
from joinedup.surveys.models import Response, Round, RoundStatus
from tests.web.survey_steps import invite

from .survey_steps import INSTRUMENT, answer_everything, start, submit


def _round_url(world, survey_round, action: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/{action}"


def test_a_facilitator_creates_a_round_as_a_draft(world) -> None:
    alice = world.client(world.alice)
    response = alice.post(f"/partnerships/{world.partnership.pk}/rounds/new/", {"label": "Spring"})
    survey_round = Round.objects.get(partnership=world.partnership)
    assert response["Location"] == _round_url(world, survey_round)
    assert survey_round.status == RoundStatus.DRAFT


def test_a_round_needs_a_name_and_a_new_one(world) -> None:
    alice = world.client(world.alice)
    url = f"/partnerships/{world.partnership.pk}/rounds/new/"
    assert "Enter a name for the round" in alice.post(url, {"label": ""}).content.decode()
    alice.post(url, {"label": "Spring"})
    assert "already a round called" in alice.post(url, {"label": "spring"}).content.decode()


def test_nobody_can_answer_a_draft_round(world) -> None:
    survey_round = services.create_round(world.partnership, "Draft")
    links, _ = invite(survey_round, [("a@example.org", world.org("Northshire Police"))])
    page = Client().get(f"/s/{links[0].token}/")
    assert page.status_code == 410
    assert "has not opened yet" in page.content.decode()


def _respond(survey_round, organisation, count: int, answer: int = 4) -> None:
    links, _ = invite(
        survey_round,
        [(f"{organisation.pk}-{i}-{answer}@example.org", organisation) for i in range(count)],
    )
    for link in links:
        person = Client()
        token = start(person, link.token)
        answer_everything(person, token, answer=answer)
        submit(person, token)


def test_closing_a_round_stores_the_analysis_of_its_responses_for_good(world, open_round) -> None:
    _respond(open_round, world.org("Northshire Police"), 5, answer=4)
    _respond(open_round, world.org("Age Well Northshire"), 2, answer=2)
    # The responses are stored afresh in a new order at close, and sums of
    # floating-point numbers depend on their order: analyse them as they are now.
    dataset = load_tables(*services.round_tables(open_round))[0]
    dataset.rounds = [open_round.label]
    expected = analyse(dataset)
    alice = world.client(world.alice)
    confirm = alice.get(_round_url(world, open_round, "close/")).content.decode()
    assert "You cannot reopen a closed round" in confirm
    alice.post(_round_url(world, open_round, "close/"))

    closed = Round.objects.get(pk=open_round.pk)
    assert closed.status == RoundStatus.CLOSED and closed.closed_at is not None
    assert closed.result == expected
    assert closed.result["respondents"] == 7
    # Age Well (2 respondents) is never reported on its own.
    names = [unit["name"] for unit in closed.result["units"]]
    assert "Age Well Northshire" not in names
    with pytest.raises(services.SurveyError):
        services.close_round(closed)
    page = alice.get(_round_url(world, closed)).content.decode()
    assert "Results" in page and "See the full results" in page


def test_the_result_download_is_the_stored_document(world, open_round) -> None:
    _respond(open_round, world.org("Northshire Police"), 5)
    services.close_round(open_round)
    response = world.client(world.carol).get(_round_url(world, open_round, "download/json/"))
    assert response.status_code == 200
    assert response.json() == Round.objects.get(pk=open_round.pk).result
    assert "attachment" in response["Content-Disposition"]


def _csv(rows: list[dict[str, str]]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(row[h] for h in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _row(respondent: str, organisation: str, answer: str = "4") -> dict[str, str]:
    return {"respondent_id": respondent, "organisation": organisation} | dict.fromkeys(
        INSTRUMENT.item_codes, answer
    )


def test_answers_collected_elsewhere_are_imported_into_a_round(world, open_round) -> None:
    rows = [_row(f"r{i}", "northshire police") for i in range(5)]
    upload = SimpleUploadedFile("responses.csv", _csv(rows), content_type="text/csv")
    response = world.client(world.alice).post(
        _round_url(world, open_round, "import/"), {"responses": upload}
    )
    assert response.status_code == 302
    assert Response.objects.filter(round=open_round).count() == 5
    assert {r.organisation.name for r in Response.objects.all()} == {"Northshire Police"}


def test_an_import_with_problems_lists_each_with_row_and_column_and_stores_nothing(
    world, open_round
) -> None:
    rows = [
        _row("r1", "Northshire Police"),
        _row("r2", "Nowhere Council"),
        _row("r3", "Northshire Police", "maybe"),
    ]
    upload = SimpleUploadedFile("responses.csv", _csv(rows), content_type="text/csv")
    page = world.client(world.alice).post(
        _round_url(world, open_round, "import/"), {"responses": upload}
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "responses.csv row 3, column organisation" in text
    assert "responses.csv row 4, column CASE1: &quot;maybe&quot; is not an answer" in text
    assert not Response.objects.exists()


def test_the_same_file_cannot_be_imported_twice(world, open_round) -> None:
    rows = [_row(f"r{i}", "Northshire Police") for i in range(5)]
    url = _round_url(world, open_round, "import/")
    alice = world.client(world.alice)
    alice.post(url, {"responses": SimpleUploadedFile("r.csv", _csv(rows))})
    page = alice.post(url, {"responses": SimpleUploadedFile("r.csv", _csv(rows))})
    assert "were imported into this round before" in page.content.decode()
    assert Response.objects.count() == 5
