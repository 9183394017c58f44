"""Uploads: read in memory, refused plainly when too large, hostile, damaged or holding NULs.

Nothing of a refused upload is stored."""

from __future__ import annotations

import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.partnerships.models import Organisation
from joinedup.surveys.models import Response
from tests.hostile_files import EXTERNAL_ENTITY, SHEET_OPEN, SHEET_ROOT, with_sheet, zip_bomb

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


def _refused_page(page) -> str:
    assert page.status_code == 400
    body = html.unescape(page.content.decode())
    assert "govuk-error-summary" in body
    return body


def test_a_zip_bomb_imported_into_a_round_is_refused_and_nothing_is_stored(world, open_round):
    upload = SimpleUploadedFile("answers.xlsx", zip_bomb(64 * 1024 * 1024))
    page = world.client(world.alice).post(_url(world, open_round), {"responses": upload})
    body = _refused_page(page)
    assert "answers.xlsx: has a part compressed" in body
    assert "real workbooks stay under 100 to 1" in body
    assert not Response.objects.exists()


def test_a_damaged_workbook_gets_a_message_not_a_server_error(world, open_round):
    for content, message in [
        (with_sheet(SHEET_OPEN + "<sheetData><row><c"), "is damaged: its XML is broken"),
        (zip_bomb(2000)[:700], "is not a complete Excel workbook"),
        (b"\x13\x37" * 400, "could not be opened as an Excel workbook"),
    ]:
        upload = SimpleUploadedFile("answers.xlsx", content)
        page = world.client(world.alice).post(_url(world, open_round), {"responses": upload})
        assert f"answers.xlsx: {message}" in _refused_page(page)
    assert not Response.objects.exists()


def test_the_row_limit_of_the_settings_refuses_an_import_and_stores_nothing(
    world, open_round, settings
):
    settings.UPLOAD_MAX_ROWS = 3
    header = ["respondent_id", "organisation", *INSTRUMENT.item_codes]
    rows = [[f"r{n}", "Northshire Police", *["4"] * len(INSTRUMENT.item_codes)] for n in range(4)]
    upload = SimpleUploadedFile("responses.csv", _csv([header, *rows]))
    page = world.client(world.alice).post(_url(world, open_round), {"responses": upload})
    body = _refused_page(page)
    assert "responses.csv: has more than 3 rows below the header" in body
    assert "use the command line (joinedup analyse)" in body
    assert not Response.objects.exists()
    settings.UPLOAD_MAX_ROWS = 4  # the same file within the limit is imported
    upload = SimpleUploadedFile("responses.csv", _csv([header, *rows]))
    page = world.client(world.alice).post(_url(world, open_round), {"responses": upload})
    assert page.status_code == 302 and Response.objects.count() == 4


def test_an_organisations_file_of_twenty_thousand_columns_is_refused(world):
    before = Organisation.objects.count()
    header = ["organisation", "sector", *[f"extra {n}" for n in range(19_998)]]
    upload = SimpleUploadedFile("members.csv", _csv([header, ["Eastmoor Housing", "housing"]]))
    url = reverse("partnerships:import-organisations", args=[world.partnership.pk])
    body = _refused_page(world.client(world.alice).post(url, {"upload": upload}))
    assert "members.csv row 1: has 20,000 columns in its header row" in body
    assert Organisation.objects.count() == before


def test_an_organisations_workbook_with_an_external_entity_is_refused(world):
    before = Organisation.objects.count()
    sheet = EXTERNAL_ENTITY + SHEET_ROOT + "<sheetData><row r='1'>"
    sheet += "<c r='A1' t='inlineStr'><is><t>&secret;</t></is></c></row></sheetData></worksheet>"
    upload = SimpleUploadedFile("members.xlsx", with_sheet(sheet))
    url = reverse("partnerships:import-organisations", args=[world.partnership.pk])
    body = _refused_page(world.client(world.alice).post(url, {"upload": upload}))
    assert "members.xlsx: declares XML entities" in body
    assert "root:" not in body
    assert Organisation.objects.count() == before
