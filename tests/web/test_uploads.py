"""Uploads: read in memory, refused plainly when too large or holding NUL characters."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from joinedup.surveys.models import Response

from .survey_steps import INSTRUMENT


def _csv(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode()


def _url(world, survey_round) -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/import/"


def test_a_nul_character_in_an_imported_cell_is_reported_with_row_and_column(
    world, open_round
) -> None:
    header = ["respondent_id", "organisation", *INSTRUMENT.item_codes, "TEXT_IMPORTANT"]
    row = ["r1", "Northshire Police", *["4"] * len(INSTRUMENT.item_codes), "bad\x00text"]
    upload = SimpleUploadedFile("responses.csv", _csv([header, row]))
    page = world.client(world.alice).post(_url(world, open_round), {"responses": upload})
    assert page.status_code == 400
    assert "responses.csv row 2, column TEXT_IMPORTANT: the cell contains an invisible null" in (
        page.content.decode()
    )
    assert not Response.objects.exists()


def test_files_larger_than_the_limit_are_refused_before_reading(world, open_round, settings):
    settings.MAX_UPLOAD_BYTES = 2000
    upload = SimpleUploadedFile("responses.csv", b"respondent_id,organisation\n" + b"x,y\n" * 2000)
    page = world.client(world.alice).post(_url(world, open_round), {"responses": upload})
    assert page.status_code == 400
    assert "larger than" in page.content.decode()
    assert not Response.objects.exists()
