"""The paper questionnaire: the web survey, question for question, for staff who work offline.

Statements, answer labels, relationship questions, roles and free-text
questions come from the instrument; the privacy promises are the survey's own
first-page list (`surveys/survey/_privacy.html`), rendered with the default
thresholds a new partnership starts with.
"""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

from django.template.loader import render_to_string

from joinedup.instrument import Instrument
from joinedup.partnerships.models import Partnership

from .document import (
    Bullets,
    Document,
    Heading,
    Notice,
    PageBreak,
    Paragraph,
    Question,
    Table,
    WriteIn,
)

PARTNER_ROWS = 8  # lines for partner organisations in the relationship grid
LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
TAG = re.compile(r"<[^>]+>")


def privacy_promises() -> tuple[str, ...]:
    """The survey's "Who sees your answers" promises, as plain sentences.

    Rendered from the survey's own template with a new partnership's default
    thresholds, so the paper and the web say the same thing.
    """
    defaults = {
        name: Partnership._meta.get_field(name).get_default()
        for name in ("min_group_size", "min_tie_raters", "min_text_group_size")
    }
    rendered = render_to_string(
        "surveys/survey/_privacy.html",
        {
            "partnership": SimpleNamespace(**defaults),
            "visit": SimpleNamespace(organisation=SimpleNamespace(name="your organisation")),
        },
    )
    return tuple(
        " ".join(html.unescape(TAG.sub("", item)).split()) for item in LIST_ITEM.findall(rendered)
    )


def statement_options(instrument: Instrument) -> tuple[str, ...]:
    return (*(choice.label for choice in instrument.agreement), instrument.agreement_dont_know)


def rating_key(instrument: Instrument) -> str:
    numbers = [f"{c.value} = {c.label}" for c in instrument.rating]
    return "; ".join([*numbers, f"DK = {instrument.rating_dont_know}"])


def contact_key(instrument: Instrument) -> str:
    return "; ".join(f"{c.value} = {c.label}" for c in instrument.contact)


def paper_questionnaire(instrument: Instrument) -> Document:
    """The whole survey on paper, with a box for the respondent code."""
    blocks: list = [
        WriteIn(
            "Respondent code",
            "Your partnership's survey lead gives you this code. It links your answers on "
            "this page and the next, not to you.",
        ),
        WriteIn("Your organisation", "The organisation you work for."),
        Paragraph(
            "Tell us how working together in this partnership feels from where you sit. "
            "Tick one box for each question.",
            lead=True,
        ),
        Heading("Who sees your answers"),
        Bullets(privacy_promises()),
        Notice(
            "Do not write your name on this form. Hand it back to your survey lead in a sealed "
            "envelope; it is typed in under your respondent code and then destroyed."
        ),
        Heading("About you"),
        Question("1", "Which best describes your role?", tuple(r.label for r in instrument.roles)),
        PageBreak(),
    ]
    number = 1
    options = statement_options(instrument)
    for scale in instrument.scales:
        blocks.append(Heading(scale.name))
        blocks.append(
            Paragraph(
                'How far do you agree with each statement? "We" and "our organisation" mean '
                "the organisation you work for."
            )
        )
        for item in (i for i in instrument.items if i.scale == scale.code):
            number += 1
            blocks.append(Question(str(number), item.text, options))
    blocks += _relationships(instrument)
    blocks.append(Heading("Your comments"))
    blocks.append(
        Paragraph(
            "Comments are shown for the whole partnership only, never by organisation. Do not "
            "include names or anything that would identify you or someone else."
        )
    )
    for question in instrument.text_questions:
        number += 1
        blocks.append(WriteIn(f"{number}. {question.text}", lines=4))
    blocks.append(Paragraph("Thank you. Please hand this form back to your survey lead."))
    return Document(instrument.title, f"Paper questionnaire ({instrument.id})", tuple(blocks))


def _relationships(instrument: Instrument) -> list:
    letters = [chr(ord("A") + index) for index in range(len(instrument.relationship_questions))]
    return [
        PageBreak(),
        Heading("The partners you work with"),
        Paragraph(
            "Write the name of each partner organisation your organisation works with, one a "
            "line, and answer for each one. Leave a line blank if you work with no more."
        ),
        Paragraph(f"{instrument.contact_question} Write the number: {contact_key(instrument)}."),
        Paragraph(f"Questions A to {letters[-1]}. Write the number: {rating_key(instrument)}."),
        Bullets(
            tuple(
                f"{letter}. {question.text}"
                for letter, question in zip(letters, instrument.relationship_questions, strict=True)
            )
        ),
        Table(
            "Your ratings of partner organisations",
            ("Partner organisation", "How often", *letters),
            tuple(("", *([""] * (len(letters) + 1))) for _ in range(PARTNER_ROWS)),
        ),
        PageBreak(),
    ]
