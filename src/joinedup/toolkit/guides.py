"""The printable guides and templates: the self-assessment quick check, the workshop
guide, the charter, the conversation guide for a flagged pair, and the meeting agenda.

Words and thresholds come from where the product keeps them: scales from the
instrument, bands and positions from `analysis.scoring` and
`analysis.vocabulary`, questions and actions from `recommendations.toml`,
and the fields of the charter, conversations and agendas from the action
plan's models, so each template asks for what the product records.
"""

from __future__ import annotations

from joinedup.actions.forms import CharterForm
from joinedup.actions.models import (
    AGENDA_HINTS,
    AgendaItem,
    AgendaKind,
    Area,
    Charter,
    CharterSignOff,
    Comparison,
    ConversationStatus,
    PairConversation,
    PairFlag,
)
from joinedup.analysis import scoring, vocabulary
from joinedup.analysis.recommendations import ACTION_ORDER, content
from joinedup.analysis.vocabulary import BANDS, POSITION_SENTENCES, POSITIONS
from joinedup.instrument import Instrument

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

TEAM_SCORES = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)
INDICATIVE = (
    "Indicative only. This is your leadership team's own view, scored together in a meeting. "
    "It is not a survey result: it does not hear from staff or partners, and it has no "
    "disclosure control or confidence interval."
)


def _label(model: type, name: str) -> str:
    """A model field's label, as the product's forms show it."""
    return str(model._meta.get_field(name).verbose_name).capitalize()  # type: ignore[attr-defined]


def team_score_to_figure(team_score: float) -> float:
    """A 1–5 team score on the 0–100 scale of the product: (score − 1) × 25 (SPEC §3.3)."""
    return (team_score - 1.0) * 25.0


# ------------------------------------------------------------ quick check


def quick_check(instrument: Instrument) -> Document:
    """One page: the nine scales, a box for the team's score, and how to read it."""
    rows = tuple(
        (
            scale.name,
            scale.summary + ("" if scale.higher_is_better else " (Higher is worse.)"),
            "",
            "",
        )
        for scale in instrument.scales
    )
    momentum = ", ".join(instrument.scale(code).short_name for code in scoring.MOMENTUM_SCALES)
    strain = ", ".join(instrument.scale(code).short_name for code in scoring.STRAIN_SCALES)
    return Document(
        "Self-assessment quick check",
        "Nine scales for a leadership team to score together",
        (
            Notice(INDICATIVE),
            Paragraph(
                "For each scale, agree as a team how far you agree that it describes your "
                "partnership: 1 strongly disagree, 3 neither, 5 strongly agree. Write the "
                "score, then its band from the guide below."
            ),
            Table("Your team's scores", ("Scale", "What it asks", "Score (1–5)", "Band"), rows),
            Heading("Scoring guide"),
            Table(
                "From a team score to a band, as the product bands a scale",
                (
                    "Team score",
                    "On the 0–100 scale",
                    "Band where higher is better",
                    "Band where higher is worse",
                ),
                tuple(_band_row(score) for score in TEAM_SCORES),
            ),
            Paragraph(
                f"{vocabulary.MOMENTUM} is the average of {momentum}. "
                f"{vocabulary.PULL} is the average of {strain}. "
                f"Turn each into 0–100 as above; {scoring.THRESHOLD:g} or more counts as high."
            ),
            Table(
                "Where the partnership stands",
                (vocabulary.MOMENTUM_SHORT, vocabulary.PULL_SHORT, "Position"),
                tuple(_position_row(m, s) for m, s in ((75, 25), (75, 75), (25, 75), (25, 25))),
            ),
        ),
        compact=True,
    )


def _band_row(team_score: float) -> tuple[str, ...]:
    figure = team_score_to_figure(team_score)
    return (
        f"{team_score:g}",
        f"{figure:g}",
        BANDS[scoring.band(figure, True) or ""],
        BANDS[scoring.band(figure, False) or ""],
    )


def _position_row(momentum: float, strain: float) -> tuple[str, ...]:
    code = scoring.position(momentum, strain) or ""
    limit = f"{scoring.THRESHOLD:g}"

    def side(value: float) -> str:
        return f"{limit} or more" if value >= scoring.THRESHOLD else f"Below {limit}"

    return (side(momentum), side(strain), f"{POSITIONS[code]}: {POSITION_SENTENCES[code]}")


# --------------------------------------------------------------- workshop


def workshop_guide(instrument: Instrument) -> Document:
    """A facilitator's guide to a two-hour results workshop around the three actions."""
    words = content()
    blocks: list = [
        Paragraph(
            "A two-hour workshop for the partnership's leaders, held soon after a round closes. "
            "It turns the results into a few actions that partners own, each with a measure "
            "the next round will check.",
            lead=True,
        ),
        Heading("Running order"),
        Table(
            "Two hours, minute by minute",
            ("Time", "What happens", "Why"),
            (
                (
                    "0:00–0:10",
                    "Welcome and ground rules",
                    "Results describe groups, never people; nobody asks who said what.",
                ),
                (
                    "0:10–0:30",
                    "Where we stand: the headline and the position map",
                    "Agree what the position means for this place.",
                ),
                *(
                    (
                        time,
                        words["actions"][action]["title"],
                        "Discuss the scales of concern under this action (questions below).",
                    )
                    for time, action in zip(
                        ("0:30–0:55", "0:55–1:20", "1:20–1:40"), ACTION_ORDER, strict=True
                    )
                ),
                (
                    "1:40–1:55",
                    "Agree actions and success measures",
                    "Each action has an owner, a date and a measure.",
                ),
                ("1:55–2:00", "Close", "Confirm who writes up the plan, and when."),
            ),
        ),
        Heading("Before the workshop"),
        Bullets(
            (
                "Print the partnership's report and this pack; send the headline a week ahead.",
                "Mark which scales are in the Concern band, and the relationship flags.",
                "Invite a leader from every organisation with authority to commit resources.",
            )
        ),
        PageBreak(),
    ]
    for action in ACTION_ORDER:
        blocks += _action_section(instrument, action)
    blocks += agreeing_actions(instrument)
    return Document(
        "Results workshop: a facilitator's guide", "Two hours, three actions", tuple(blocks)
    )


def _action_section(instrument: Instrument, action: str) -> list:
    words = content()
    blocks: list = [
        Heading(words["actions"][action]["title"]),
        Paragraph(words["actions"][action]["summary"]),
    ]
    for scale in instrument.scales:
        if scale.action != action:
            continue
        entry = words["scales"].get(scale.code, {})
        blocks.append(Heading(f"If {scale.name} is in {BANDS['concern']}", level=3))
        blocks.append(Paragraph(entry.get("why", scale.summary)))
        blocks.append(Bullets(tuple(entry.get("questions", ()))))
    return blocks


def agreeing_actions(instrument: Instrument) -> list:
    """How to agree actions and success measures, in the fields the action plan records."""
    areas = ", ".join(label for _, label in Area.choices)
    comparisons = " or ".join(label for _, label in Comparison.choices)
    return [
        Heading("Agreeing actions and success measures"),
        Bullets(
            (
                f"Put each action under one of the three: {areas}.",
                "Give it an owner from the room, a named lead, and a due date.",
                f"Give it a success measure: a scale, {comparisons}, and a target from 0 to 100 "
                "that the next round will check (for Strain and Self-preservation, at most).",
                "Keep to three to five actions: fewer, owned, beats many and orphaned.",
            ),
            numbered=True,
        ),
        Table(
            "Actions agreed",
            ("Action", "Area", "Owner", "Due", "Success measure"),
            tuple(("", "", "", "", "") for _ in range(5)),
        ),
    ]


# -------------------------------------------------------------- templates


def charter_template() -> Document:
    """The "how we work together" charter, as the product records and signs it off."""
    form = CharterForm()
    field = form.fields["text"]
    return Document(
        str(field.label),
        "A charter for the partnership, signed off by each organisation",
        (
            Paragraph(str(field.help_text)),
            WriteIn("How decisions are made", lines=3),
            WriteIn("How information is shared", lines=3),
            WriteIn("How disagreements are resolved", lines=3),
            WriteIn("What each partner can expect of the others", lines=3),
            WriteIn(_label(Charter, "version"), "Changing the text makes a new version."),
            Table(
                "Sign-off by each organisation",
                tuple(
                    _label(CharterSignOff, name)
                    for name in ("organisation", "version", "signed_by", "signed_at")
                ),
                tuple(("", "", "", "") for _ in range(8)),
            ),
        ),
    )


def conversation_guide(instrument: Instrument) -> Document:
    """A guide to a direct conversation between two leaders whose relationship was flagged."""
    words = content()
    questions = tuple(
        question for code in ("TRUST", "RELATE") for question in words["scales"][code]["questions"]
    )
    return Document(
        "A conversation for a flagged pair",
        "For two organisations whose trust is one-sided, or low both ways",
        (
            Paragraph(
                "The relationship map flags a pair when one trusts the other far more than it "
                "is trusted back, or when trust is low both ways. The remedy is a direct, "
                "private conversation between the two leaders.",
                lead=True,
            ),
            Question(
                "1", "What did the round flag?", tuple(label for _, label in PairFlag.choices)
            ),
            WriteIn("Organisations", "The two organisations in the pair."),
            WriteIn(_label(PairConversation, "planned_for"), "The date you will meet."),
            Heading("How to hold it"),
            Bullets(
                (
                    "Meet one to one, leaders only, for an hour; no papers, no minutes.",
                    "Each says what they value in the other, then what gets in the way.",
                    "Talk about what happened, not about people's motives.",
                    "End with one thing each will do differently, and when you will talk again.",
                ),
                numbered=True,
            ),
            Heading("Questions to start with"),
            Bullets(questions),
            Question(
                "2",
                _label(PairConversation, "status"),
                tuple(label for _, label in ConversationStatus.choices),
            ),
            WriteIn(_label(PairConversation, "notes"), "What each agreed to do.", lines=4),
        ),
    )


def meeting_agenda() -> Document:
    """An agenda with what matters first, recording minutes by kind of item."""
    kinds = tuple(f"{AgendaKind(kind).label}: {hint}" for kind, hint in AGENDA_HINTS.items())
    what_matters = AgendaKind.WHAT_MATTERS.label
    headers = tuple(_label(AgendaItem, name) for name in ("title", "kind", "minutes", "decision"))
    rows = tuple(("", what_matters if index < 3 else "", "", "") for index in range(8))
    return Document(
        "Partnership meeting agenda",
        "What matters first; the time it took, recorded",
        (
            WriteIn("Meeting and date"),
            Paragraph(
                "Put the issues that matter first, while people are fresh. Record how many "
                "minutes each item took, and what kind of item it was:"
            ),
            Bullets(kinds),
            Table("Agenda", headers, rows),
            WriteIn(f"Minutes on {what_matters.lower()}"),
            WriteIn("Minutes on the whole agenda"),
            WriteIn(
                f"Share of time on {what_matters.lower()}",
                f"Minutes on {what_matters.lower()} divided by minutes on the whole agenda, as "
                "a percentage. The partnership's meetings page records the same share.",
            ),
        ),
    )
