"""The workshop pack made for one closed round: the partnership's own headline,
position map, recommendations and flagged pairs, ahead of the general guide.

Made from the stored result only (as every report is), and the network
through `reports.reading.network`, so no pair flag resting on a merged
organisation's view can appear.
"""

from __future__ import annotations

from typing import Any

from joinedup.analysis.vocabulary import FLAGS, POSITION_SENTENCES, POSITIONS
from joinedup.instrument import load_instrument
from joinedup.surveys.models import Round

from . import reporting
from .document import Bullets, Document, Figure, Heading, PageBreak, Paragraph, Table
from .guides import agreeing_actions

TOP_ACTIONS = 3


def round_workshop_pack(survey_round: Round) -> Document:
    """The pack for a closed round, ready to print."""
    result = survey_round.result
    assert result is not None
    partnership = result["partnership"]
    position = partnership.get("position") or ""
    blocks: list = [Heading("Where the partnership stands")]
    if position:
        blocks.append(
            Paragraph(f"{POSITIONS[position]}. {POSITION_SENTENCES[position]}", lead=True)
        )
    else:
        blocks.append(Paragraph("Too few people answered for the partnership to be placed."))
    if partnership.get("reason") != "too_few_respondents":
        chart = reporting.position_map(result)
        blocks.append(Figure(chart.title, chart.svg, chart.description))
    blocks.append(PageBreak())
    blocks += _recommendations(result)
    blocks += _flagged_pairs(result)
    blocks.append(PageBreak())
    blocks += agreeing_actions(load_instrument())
    return Document(
        f"{survey_round.partnership.name}: results workshop",
        f"Workshop pack for {survey_round.label}",
        tuple(blocks),
    )


def _recommendations(result: dict[str, Any]) -> list:
    actions = sorted(result.get("recommendations") or [], key=lambda a: a["priority"])
    blocks: list = [Heading("What to do next")]
    if not actions:
        blocks.append(Paragraph("The round made no recommendations."))
    for action in actions[:TOP_ACTIONS]:
        blocks.append(Heading(action["title"], level=3))
        blocks.append(Paragraph(action["summary"]))
        if action.get("why"):
            blocks.append(Bullets(tuple(action["why"])))
        if action.get("questions"):
            blocks.append(Heading("Questions to discuss", level=4))
            blocks.append(Bullets(tuple(action["questions"])))
        if action.get("steps"):
            blocks.append(Heading("Steps to consider", level=4))
            blocks.append(Bullets(tuple(action["steps"]), numbered=True))
    return blocks


def _flagged_pairs(result: dict[str, Any]) -> list:
    pairs = [
        flag
        for flag in reporting.network(result).get("flags") or []
        if flag.get("type") != "isolate"
    ]
    blocks: list = [Heading("Pairs to talk")]
    if not pairs:
        blocks.append(Paragraph("No pair of organisations was flagged in this round."))
        return blocks
    blocks.append(
        Table(
            "Flagged pairs: plan a direct conversation between their leaders",
            ("Organisations", "Flag"),
            tuple((f"{flag['a']} and {flag['b']}", FLAGS[flag["type"]]) for flag in pairs),
        )
    )
    return blocks
