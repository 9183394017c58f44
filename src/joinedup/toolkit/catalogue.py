"""The toolkit's tools: what each is, what it previews, and which files it downloads.

Each tool builds its content from the instrument (`load_instrument()`); the
files are made by `files.build` and kept by `files.cached_download`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from joinedup.instrument import Instrument

from . import guides, spreadsheets
from .document import Document, Paragraph, Table
from .questionnaire import paper_questionnaire


@dataclass(frozen=True)
class Format:
    extension: str
    label: str
    content_type: str


FORMATS = {
    "pdf": Format("pdf", "PDF, printable and accessible", "application/pdf"),
    "docx": Format(
        "docx",
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": Format(
        "xlsx",
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@dataclass(frozen=True)
class Tool:
    slug: str
    name: str
    description: str
    # The content: printed (PDF, Word) or, for a workbook, described for the preview.
    document: Callable[[Instrument], Document]
    formats: tuple[str, ...]
    workbook: Callable[[Instrument], bytes] | None = None


def workbook_preview(instrument: Instrument) -> Document:
    """What the data-entry workbook holds, sheet by sheet."""
    headers = spreadsheets.entry_headers(instrument)
    lists = spreadsheets.answer_lists(instrument)
    return Document(
        "Data-entry workbook",
        f"For typing in paper answers to {instrument.id}",
        (
            Paragraph(
                "An instructions sheet, one sheet for each file the round's import reads, and "
                "the answer labels every drop-down offers."
            ),
            Table(
                "Sheets and their columns",
                ("Sheet", "Columns"),
                tuple((name, ", ".join(columns)) for name, columns in headers.items()),
            ),
            Table(
                "Drop-down lists on the answer cells",
                ("Answers", "Labels"),
                tuple((name.capitalize(), "; ".join(labels)) for name, labels in lists.items()),
            ),
        ),
    )


def ledger_preview(instrument: Instrument) -> Document:
    from joinedup.actions.models import COMMITMENT_UNITS, CommitmentKind

    return Document(
        "Commitments ledger",
        "Pledged against delivered",
        (
            Paragraph(
                "One row per commitment an organisation makes to the shared work. Still to "
                "deliver and the share delivered are worked out for you, and the kinds sheet "
                "adds up pledged against delivered for each kind."
            ),
            Table(
                "Kinds of commitment and what they are counted in",
                ("Kind", "Unit"),
                tuple((kind.label, COMMITMENT_UNITS[kind]) for kind in CommitmentKind),
            ),
        ),
    )


TOOLS: tuple[Tool, ...] = (
    Tool(
        "paper-questionnaire",
        "Paper questionnaire",
        "The survey on paper, for staff who work offline: the same statements, answers, "
        "partner questions and privacy promises as the web survey, with a respondent code box.",
        paper_questionnaire,
        ("pdf", "docx"),
    ),
    Tool(
        "data-entry-workbook",
        "Data-entry workbook",
        "A spreadsheet to type paper answers into, with a drop-down of answers on every cell, "
        "ready to import into a round.",
        workbook_preview,
        ("xlsx",),
        spreadsheets.data_entry_workbook,
    ),
    Tool(
        "quick-check",
        "Self-assessment quick check",
        "One page of the nine scales for a leadership team to score together, with a scoring "
        "guide. Indicative only: not a survey result.",
        guides.quick_check,
        ("pdf",),
    ),
    Tool(
        "workshop-pack",
        "Workshop pack",
        "A facilitator's guide to a two-hour results workshop built around the three actions: "
        "running order, questions to discuss, and how to agree actions and measures.",
        guides.workshop_guide,
        ("pdf", "docx"),
    ),
    Tool(
        "charter",
        "How we work together: charter",
        "A charter for partners to agree and sign off, organisation by organisation.",
        lambda instrument: guides.charter_template(),
        ("pdf", "docx"),
    ),
    Tool(
        "commitments-ledger",
        "Commitments ledger",
        "A spreadsheet of what each organisation pledged to the shared work, and how much it "
        "has delivered.",
        ledger_preview,
        ("xlsx",),
        lambda instrument: spreadsheets.commitments_ledger(),
    ),
    Tool(
        "conversation-guide",
        "Conversation guide for a flagged pair",
        "How two leaders hold a direct conversation when trust between their organisations "
        "is one-sided or low both ways.",
        guides.conversation_guide,
        ("pdf", "docx"),
    ),
    Tool(
        "meeting-agenda",
        "Meeting agenda",
        "An agenda that puts what matters first and records the share of time spent on it.",
        lambda instrument: guides.meeting_agenda(),
        ("pdf", "docx"),
    ),
)

BY_SLUG = {tool.slug: tool for tool in TOOLS}
