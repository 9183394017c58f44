"""The Collaborative Working Toolkit: every tool previews and downloads without signing in,
the paper questionnaire matches the instrument, and files are remade when what they are
made from changes."""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.cache import cache
from docx import Document as WordDocument
from openpyxl import load_workbook

from joinedup.analysis.vocabulary import BANDS, POSITIONS
from joinedup.instrument import load_instrument
from joinedup.toolkit import files
from joinedup.toolkit.catalogue import BY_SLUG, FORMATS, TOOLS
from joinedup.toolkit.questionnaire import privacy_promises
from tests.web.survey_steps import invite

pytestmark = pytest.mark.django_db
INSTRUMENT = load_instrument()
MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04"}


def _words(text: str) -> str:
    """Text with every run of white space as one space, and typographic quotes made plain."""
    return " ".join(text.replace("\u2019", "'").replace("\ufb01", "fi").split())


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "file.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _download(client, slug: str, extension: str):
    return client.get(f"/toolkit/{slug}/download.{extension}")


def test_the_toolkit_lists_every_tool_for_someone_not_signed_in(client) -> None:
    page = client.get("/toolkit/")
    assert page.status_code == 200
    html = page.content.decode()
    for tool in TOOLS:
        assert f'href="/toolkit/{tool.slug}/"' in html
        assert tool.name in html


def test_the_header_links_to_the_toolkit_for_everyone(client, world) -> None:
    link = 'class="govuk-service-navigation__link" href="/toolkit/"'
    assert link in client.get("/sign-in/").content.decode()
    signed_in = world.client(world.alice).get("/partnerships/").content.decode()
    assert link in signed_in and "Sign out" in signed_in


@pytest.mark.parametrize("slug", [tool.slug for tool in TOOLS])
def test_each_tool_previews_and_downloads_without_signing_in(client, slug: str) -> None:
    tool = BY_SLUG[slug]
    page = client.get(f"/toolkit/{slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Preview of the first page" in html
    first_page = tool.document(INSTRUMENT).first_page()
    assert first_page, "a preview with nothing in it"
    for extension in tool.formats:
        assert f'href="/toolkit/{slug}/download.{extension}"' in html
        response = _download(client, slug, extension)
        assert response.status_code == 200
        assert response["Content-Type"] == FORMATS[extension].content_type
        assert response.content.startswith(MAGIC[extension])
        assert len(response.content) > 2000
        assert response["Content-Disposition"] == (
            f'attachment; filename="joinedup-{slug}-{INSTRUMENT.id}.{extension}"'
        )


def test_a_tool_or_format_that_does_not_exist_is_not_found(client) -> None:
    assert client.get("/toolkit/no-such-tool/").status_code == 404
    assert _download(client, "data-entry-workbook", "pdf").status_code == 404
    assert _download(client, "no-such-tool", "pdf").status_code == 404


def test_the_paper_questionnaire_pdf_is_tagged_with_its_title_and_language(
    client, tmp_path: Path
) -> None:
    content = _download(client, "paper-questionnaire", "pdf").content
    pdf = tmp_path / "questionnaire.pdf"
    pdf.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    fields = dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    )
    assert fields["Tagged"] == "yes"
    assert fields["Title"] == INSTRUMENT.title
    assert any(re.search(rb"/Lang\s*\(en-GB\)", part) for part in _pdf_objects(content))


def _pdf_objects(content: bytes) -> list[bytes]:
    """The PDF's bytes and each of its compressed streams (object streams hold the catalogue)."""
    parts = [content]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return parts


def test_the_paper_questionnaire_says_what_the_web_survey_says(client, tmp_path: Path) -> None:
    pdf_text = _words(_pdf_text(_download(client, "paper-questionnaire", "pdf").content, tmp_path))
    word = WordDocument(io.BytesIO(_download(client, "paper-questionnaire", "docx").content))
    word_text = _words(
        " ".join(
            [p.text for p in word.paragraphs]
            + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        )
    )
    expected = [
        *(item.text for item in INSTRUMENT.items),
        *(choice.label for choice in INSTRUMENT.agreement),
        INSTRUMENT.agreement_dont_know,
        *(question.text for question in INSTRUMENT.relationship_questions),
        *(choice.label for choice in INSTRUMENT.rating),
        *(choice.label for choice in INSTRUMENT.contact),
        *(question.text for question in INSTRUMENT.text_questions),
        *(role.label for role in INSTRUMENT.roles),
        *privacy_promises(),
        "Respondent code",
    ]
    for text in expected:
        assert _words(text) in pdf_text, f"the PDF lacks: {text}"
        assert _words(text) in word_text, f"the Word document lacks: {text}"
    # Every statement once, in the survey's order.
    positions = [pdf_text.index(_words(item.text)) for item in INSTRUMENT.items]
    assert positions == sorted(positions)


def test_the_privacy_promises_are_the_survey_pages_own(client, world, open_round) -> None:

    links, _ = invite(open_round, [("paper@example.org", world.org("Northshire Police"))])
    survey_page = _words(html.unescape(client.get(f"/s/{links[0].token}/").content.decode()))
    promises = privacy_promises()
    assert len(promises) == 4
    # The web page names the respondent's organisation where paper says "your organisation".
    for promise in promises:
        on_web = promise.replace("your organisation's view", "Northshire Police's view")
        assert _words(on_web) in survey_page


def test_the_quick_check_uses_the_products_bands_and_positions_on_one_page(
    client, tmp_path: Path
) -> None:
    content = _download(client, "quick-check", "pdf").content
    text = _words(_pdf_text(content, tmp_path))
    assert "Indicative only" in text and "not a survey result" in text
    for scale in INSTRUMENT.scales:
        assert _words(scale.name) in text
    for word in (*BANDS.values(), *POSITIONS.values()):
        assert word in text
    # A team score of 4 is 75 on the product's scale: a strength where higher is better.
    assert "4 75 Strength Concern" in text
    pdf = tmp_path / "file.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"Pages:\s+1\n", info.stdout)


def test_the_commitments_ledger_works_out_delivered_against_pledged(client) -> None:
    book = load_workbook(io.BytesIO(_download(client, "commitments-ledger", "xlsx").content))
    ledger, kinds = book["ledger"], book["kinds"]
    assert [c.value for c in ledger[1]][4:6] == ["Pledged", "Delivered"]
    assert ledger["H2"].value == '=IF(E2="","",MAX(E2-F2,0))'
    assert ledger["I2"].value == '=IF(N(E2)>0,F2/E2,"")'
    from joinedup.actions.models import CommitmentKind

    assert [kinds.cell(row, 1).value for row in range(2, 2 + len(CommitmentKind))] == [
        kind.label for kind in CommitmentKind
    ]
    assert kinds["C2"].value.startswith("=SUMIF(ledger!$B$2:$B$201,$A2,ledger!$E$2")


def test_files_are_kept_and_remade_when_what_they_are_made_from_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    tool = BY_SLUG["meeting-agenda"]
    first, made = files.cached_download(tool, "pdf")
    assert made
    again, made = files.cached_download(tool, "pdf")
    assert not made and again.content == first.content
    # A change to a file the tools are made from (as the instrument file is) makes a new key.
    source = tmp_path / "words.toml"
    source.write_text("version = 1\n")
    monkeypatch.setattr(files, "SOURCES", [*files.SOURCES, source])
    key = files.version_key(INSTRUMENT.id)
    _, made = files.cached_download(tool, "pdf")
    assert made
    _, made = files.cached_download(tool, "pdf")
    assert not made
    source.write_text("version = 2\n")
    assert files.version_key(INSTRUMENT.id) != key
    _, made = files.cached_download(tool, "pdf")
    assert made
    # So does a new generator version.
    monkeypatch.setattr(files, "GENERATOR_VERSION", "test")
    _, made = files.cached_download(tool, "pdf")
    assert made


def test_the_version_key_holds_the_instrument_id_and_a_hash_of_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = files.instrument_file(INSTRUMENT.id)
    copy = tmp_path / f"{INSTRUMENT.id}.toml"
    copy.write_bytes(original.read_bytes())
    monkeypatch.setattr(files, "instrument_file", lambda instrument_id: copy)
    key = files.version_key(INSTRUMENT.id)
    assert key.startswith(f"{INSTRUMENT.id}:")
    copy.write_bytes(original.read_bytes().replace(b"Strongly agree", b"Agree strongly"))
    assert files.version_key(INSTRUMENT.id) != key


def test_downloads_are_office_files_a_spreadsheet_opens(client) -> None:
    for slug in ("paper-questionnaire", "charter"):
        names = zipfile.ZipFile(io.BytesIO(_download(client, slug, "docx").content)).namelist()
        assert "word/document.xml" in names
