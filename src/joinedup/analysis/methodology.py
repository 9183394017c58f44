"""How every figure is worked out, in plain words: one text for the web page and the docs.

The scales and their statements come from the instrument file, and every
threshold from the code that applies it, so this explanation cannot drift
from what the analysis does. `as_markdown` writes `docs/methodology.md`
(`joinedup methodology`); the web page renders `sections` and `scales`.
"""

from __future__ import annotations

from dataclasses import dataclass

from joinedup.instrument import Instrument

from . import vocabulary
from .network import ASYMMETRY_GAP, LOW_TRUST
from .result import PERCEPTION_GAP
from .scoring import THRESHOLD
from .settings import LOWEST_GROUP_SIZE, LOWEST_TIE_RATERS, Settings

DEFAULTS = Settings()


@dataclass(frozen=True)
class Part:
    """One section of the method: a heading and its paragraphs."""

    slug: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ScaleText:
    code: str
    name: str
    summary: str
    higher_is_better: bool
    statements: tuple[tuple[str, bool], ...]  # (text, worded the other way round)


def scales(instrument: Instrument) -> list[ScaleText]:
    """Each scale with its statements, in the order they are asked."""
    return [
        ScaleText(
            scale.code,
            scale.name,
            scale.summary,
            scale.higher_is_better,
            tuple(
                (item.text, item.reverse) for item in instrument.items if item.scale == scale.code
            ),
        )
        for scale in instrument.scales
    ]


def _names(instrument: Instrument, codes: tuple[str, ...]) -> str:
    names = [instrument.scale(code).name.lower() for code in codes]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def sections(instrument: Instrument) -> list[Part]:
    """The method, section by section (the scales' statements are in `scales`)."""
    k, raters, text_k = (
        DEFAULTS.min_group_size,
        DEFAULTS.min_tie_raters,
        DEFAULTS.min_text_group_size,
    )
    agreement = instrument.agreement
    rating = instrument.rating
    trust = "; ".join(q.text.rstrip("?").lower() for q in instrument.relationship_questions
                      if q.composite == "trust")  # fmt: skip
    value = "; ".join(q.text.rstrip("?").lower() for q in instrument.relationship_questions
                      if q.composite == "value")  # fmt: skip
    strong = int(THRESHOLD)
    return [
        Part(
            "survey",
            "What people are asked",
            (
                f"Each person answers {len(instrument.items)} statements about their own "
                f"organisation and the partnership, from “{agreement[0].label}” "
                f"({agreement[0].value}) to “{agreement[-1].label}” ({agreement[-1].value}), "
                f"or “{instrument.agreement_dont_know}”. The statements make up "
                f"{len(instrument.scales)} scales, listed below with their statements.",
                "They then choose the partner organisations they work with and rate each one "
                f"from “{rating[0].label}” to “{rating[-1].label}”: {trust} (together, trust), "
                f"and {value} (together, value). They say how often they work with it; "
                "“never” means there is no working relationship, and that rating is ignored.",
                "Three questions ask for written answers: the most important issue the "
                "partnership should talk about, what takes its time but matters least, and "
                "anything else.",
            ),
        ),
        Part(
            "scoring",
            "How answers become scores",
            (
                "Some statements are worded the other way round (marked below); their answers "
                "are turned over (5 becomes 1, 4 becomes 2) so that every answer points the "
                "same way.",
                "A person's score on a scale is the average of their answers to its statements, "
                "if they answered at least half of them; “don't know” is not an answer. The "
                "average, from 1 to 5, is put on a scale of 0 to 100: 1 is 0, 3 is 50, 5 is 100.",
                "An organisation's score is the average of its people's scores. The "
                "partnership's score is the average of its organisations' scores, each "
                "organisation counting the same however many people answered from it: one "
                "organisation, one voice.",
                "Each score comes with a 95% interval: the range it would most likely fall in "
                "with other people answering. Intervals are kept within 0 to 100.",
                "Scores fall in three bands. On scales where higher is better, 75 or more is a "
                "strength, 50 to 74 is developing and below 50 is a concern. On the two scales "
                "where higher is worse (strain on organisations and self-preservation) the "
                "bands are turned round: 25 or less is a strength, up to 50 is developing and "
                "above 50 is a concern.",
            ),
        ),
        Part(
            "position",
            "Where the partnership stands",
            (
                f"{vocabulary.MOMENTUM} is {vocabulary.MOMENTUM_MEANING}. "
                f"{vocabulary.PULL} is {vocabulary.PULL_MEANING}. Both run from 0 to 100.",
                f"The two together place the partnership in one of four positions, with "
                f"{strong} as the line between weak and strong: "
                f"“{vocabulary.POSITIONS['tipping_point']}” (momentum {strong} or more, pull "
                f"below {strong}); “{vocabulary.POSITIONS['tipping_and_breaking']}” (both "
                f"{strong} or more); “{vocabulary.POSITIONS['breaking_point']}” (pull {strong} "
                f"or more, momentum below {strong}); “{vocabulary.POSITIONS['holding_pattern']}” "
                "(both below). The same is worked out for each organisation.",
                "Alignment compares two scales: the case for collaboration and readiness to "
                "change our own organisation. Both 75 or more: "
                f"“{vocabulary.ALIGNMENTS['aligned']}”. Both 50 or more: "
                f"“{vocabulary.ALIGNMENTS['emerging']}”. Only the case: "
                f"“{vocabulary.ALIGNMENTS['collaborate_without_changing']}”. Only readiness: "
                f"“{vocabulary.ALIGNMENTS['changing_alone']}”. Neither: "
                f"“{vocabulary.ALIGNMENTS['not_ready']}”.",
                "Compared with the last round, the partnership is better off when momentum "
                "rose or the pull towards a breaking point fell, and neither moved the other "
                "way. A change in a scale is called clear when Welch's t-test, which compares "
                "people's scores in the two rounds, says it would arise by chance less than 1 "
                "time in 20 (p below 0.05).",
            ),
        ),
        Part(
            "network",
            "The network of relationships",
            (
                "Each rating of a partner gives a trust figure (the average of its trust "
                "questions) and a value figure (the average of its value questions), if at "
                "least two of each were answered, on 0 to 100.",
                "Organisation A has a tie to B when anyone from A said they work with B. The "
                "tie's trust and value are the averages over the people from A who rated B.",
                f"Pairs are flagged when trust is one-sided (A's trust in B and B's in A differ "
                f"by {int(ASYMMETRY_GAP)} or more) or low both ways (both below "
                f"{int(LOW_TRUST)}); an organisation with no tie in or out is flagged as not "
                "connected.",
                "For each organisation: trust and value received (from partners' shown ties), "
                "trust and value given, how many ties it has, and its betweenness: how often it "
                "lies on the shortest path between two other organisations, a sign of a broker.",
                "An organisation's perception gap is its own commitment score (bringing the "
                "organisation to bear) minus the value its partners see in it. A gap of "
                f"{int(PERCEPTION_GAP)} or more either way is flagged. Gaps are printed with as "
                "many decimal places as it takes to agree with the flag: 19.8 is not flagged, "
                "and is printed 19.8, not 20.",
            ),
        ),
        Part(
            "privacy",
            "What is never shown, to protect the people who answered",
            (
                f"An organisation is reported on its own only when at least k people from it "
                f"answered; k is {k} unless the partnership chose another number, never below "
                f"{LOWEST_GROUP_SIZE}. Organisations with fewer are combined into “Other "
                "organisations”. If that group is itself smaller than k, the smallest of the "
                "other organisations joins it, and so on. If every organisation is combined and "
                "there are still fewer than k people, there are no results at all.",
                "Nothing shown anywhere is worked out from a combined organisation's people on "
                "their own: not its scores, not its view of its partners (the trust and value "
                "of its ties), not its perception gap. What other organisations say about it "
                "can be shown.",
                f"A tie's trust and value are shown only when at least {raters} people from the "
                f"rating organisation rated that partner (the partnership may choose another "
                f"number, never below {LOWEST_TIE_RATERS}), and only when the rating "
                "organisation is reported on its own. A tie that is not shown still counts as a "
                "tie, but its ratings enter no figure.",
                f"Written answers are shown only for the whole partnership, only when at least "
                f"{text_k} people answered the question, and with e-mail addresses, phone "
                "numbers, links, postcodes, personal reference numbers and names removed.",
                "Before a round closes, the facilitator sees which organisations will be "
                "combined and how many ties will be shown without figures, so they can "
                "encourage more people to answer.",
            ),
        ),
        Part(
            "numbers",
            "How numbers are written",
            (
                "Scores are rounded to whole numbers, halves away from zero (66.5 is 67). A "
                "change is worked out from the rounded figures, so “66 → 67” is always +1. "
                "A change always has its sign, and a change of 0 is written “no change”.",
            ),
        ),
        Part(
            "reliability",
            "How reliable the scales are",
            (
                "Cronbach's alpha says whether the statements of a scale measure the same "
                "thing; 0.70 or more is usually good enough. ICC(1) says how much of the "
                "difference between people comes from their organisation; ICC(2) how reliable "
                "an organisation's average is. Agreement within an organisation (rwg) is 0.70 "
                "or more when its people broadly agree. These are in the “How we worked this "
                "out” part of each round's results and in the Excel workbook.",
            ),
        ),
    ]


def as_markdown(instrument: Instrument) -> str:
    """The whole method as Markdown, for `docs/methodology.md`."""
    lines = [
        "# How Joined Up works out its figures",
        "",
        "<!-- Written by `joinedup methodology` from the instrument file and the analysis "
        "code: do not edit by hand. -->",
        "",
    ]
    for part in sections(instrument):
        lines += [f"## {part.title}", ""]
        for paragraph in part.paragraphs:
            lines += [paragraph, ""]
        if part.slug == "survey":
            lines += ["### The scales and their statements", ""]
            for scale in scales(instrument):
                direction = "higher is better" if scale.higher_is_better else "higher is worse"
                lines += [f"#### {scale.name} ({direction})", "", scale.summary, ""]
                lines += [
                    f"- {text}{' *(worded the other way round)*' if reverse else ''}"
                    for text, reverse in scale.statements
                ]
                lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
