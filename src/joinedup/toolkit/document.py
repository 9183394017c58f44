"""A printable document as plain data, and its three renderings: PDF, Word and a web preview.

Each tool builds a `Document` (headings, paragraphs, lists, questions with
their answer options, tables, boxes to write in). One template,
`toolkit/_blocks.html`, draws it for the web preview and for the PDF, and
`to_docx` writes the same blocks to Word, so the three cannot drift apart.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string

TICK_BOX = "\u2610"  # ☐: a box to tick, in every common font with symbols


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Question:
    """A question answered by ticking one option."""

    number: str
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class WriteIn:
    """A labelled box to write in (a respondent code, an answer, notes)."""

    label: str
    hint: str = ""
    lines: int = 1


@dataclass(frozen=True)
class Notice:
    """A warning the reader must not miss (GOV.UK warning text)."""

    text: str


@dataclass(frozen=True)
class Figure:
    """A chart: its SVG, its title (the image's alternative text) and a description."""

    title: str
    svg: str
    description: str

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Bullets | Question | Table | WriteIn | Notice | Figure | PageBreak


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    blocks: tuple[Block, ...] = field(default=())
    # Smaller type and spacing, for a tool that must fit on one page.
    compact: bool = False

    def first_page(self) -> tuple[Block, ...]:
        """The blocks before the first page break: what the preview shows."""
        for index, block in enumerate(self.blocks):
            if isinstance(block, PageBreak):
                return self.blocks[:index]
        return self.blocks


def _context(document: Document, blocks: tuple[Block, ...], offset: int) -> dict[str, object]:
    return {
        "document": document,
        "offset": offset,  # the preview sits under the page's own headings
        "blocks": [(type(block).__name__.lower(), block) for block in blocks],
        "tick_box": TICK_BOX,
    }


def preview_html(document: Document) -> str:
    """The document's first page as GOV.UK-styled HTML, for the tool's page."""
    return render_to_string("toolkit/_blocks.html", _context(document, document.first_page(), 1))


def print_html(document: Document) -> str:
    """The whole document as a standalone HTML page with its print stylesheet."""
    return render_to_string("toolkit/print.html", _context(document, document.blocks, 0))


def to_pdf(document: Document) -> bytes:
    """The document as a tagged PDF/UA-1 (A4), its title and language set."""
    from weasyprint import HTML

    rendered = HTML(string=print_html(document)).render()
    return bytes(rendered.write_pdf(pdf_variant="pdf/ua-1"))


def to_docx(document: Document) -> bytes:
    """The document as a Word file, with real headings and lists for screen readers."""
    from docx import Document as WordDocument
    from docx.shared import Pt

    word = WordDocument()
    word.core_properties.title = document.title
    word.core_properties.language = "en-GB"
    word.styles["Normal"].font.size = Pt(11)
    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle)
    for block in document.blocks:
        _docx_block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _docx_block(word: object, block: Block) -> None:
    from docx.enum.text import WD_BREAK

    add_paragraph = word.add_paragraph  # type: ignore[attr-defined]
    if isinstance(block, Heading):
        word.add_heading(block.text, level=min(block.level - 1, 3))  # type: ignore[attr-defined]
    elif isinstance(block, Paragraph):
        add_paragraph(block.text)
    elif isinstance(block, Bullets):
        style = "List Number" if block.numbered else "List Bullet"
        for item in block.items:
            add_paragraph(item, style=style)
    elif isinstance(block, Question):
        add_paragraph(f"{block.number}. {block.text}").runs[0].bold = True
        add_paragraph("    ".join(f"{TICK_BOX} {option}" for option in block.options))
    elif isinstance(block, Table):
        add_paragraph(block.caption).runs[0].bold = True
        table = word.add_table(rows=1, cols=len(block.headers))  # type: ignore[attr-defined]
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
            cell.text = header
        for row in block.rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value
    elif isinstance(block, WriteIn):
        add_paragraph(block.label).runs[0].bold = True
        if block.hint:
            add_paragraph(block.hint)
        table = word.add_table(rows=1, cols=1)  # type: ignore[attr-defined]
        table.style = "Table Grid"
        table.rows[0].cells[0].text = "\n" * max(block.lines, 1)
    elif isinstance(block, Notice):
        add_paragraph(f"Important: {block.text}").runs[0].bold = True
    elif isinstance(block, Figure):
        add_paragraph(f"{block.title}. {block.description}")
    elif isinstance(block, PageBreak):
        add_paragraph().add_run().add_break(WD_BREAK.PAGE)
