"""The survey instrument as data.

The instrument (scales, statements, answer labels, relationship questions,
free-text questions, roles and sectors) is defined once, in a TOML file beside
this module, and loaded here. The survey pages, the analysis core and the
exports all read this one definition, so a code or a label is never spelled
out twice.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

DEFAULT_INSTRUMENT = "tpd-1"


@dataclass(frozen=True)
class Choice:
    """One answer option: the stored value and the label a person sees."""

    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    """A scale of statements (SPEC §1.1)."""

    code: str
    name: str
    higher_is_better: bool
    action: str
    summary: str
    items: tuple[str, ...]
    short_name: str = ""


@dataclass(frozen=True)
class Item:
    """One statement, answered on the agreement scale."""

    code: str
    scale: str
    text: str
    reverse: bool


@dataclass(frozen=True)
class Question:
    """A relationship or free-text question."""

    code: str
    text: str
    composite: str | None = None


@dataclass(frozen=True)
class Label:
    """A coded category (a role or a sector) and its label."""

    code: str
    label: str


@dataclass(frozen=True)
class Instrument:
    """The whole instrument, in the order questions are asked."""

    id: str
    title: str
    preamble: str
    agreement: tuple[Choice, ...]
    agreement_dont_know: str
    rating: tuple[Choice, ...]
    rating_dont_know: str
    contact_question: str
    contact: tuple[Choice, ...]
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    relationship_questions: tuple[Question, ...]
    text_questions: tuple[Question, ...]
    roles: tuple[Label, ...]
    sectors: tuple[Label, ...]

    @property
    def item_codes(self) -> list[str]:
        """The statement codes, in the order they are asked."""
        return [item.code for item in self.items]

    @property
    def scale_codes(self) -> list[str]:
        return [scale.code for scale in self.scales]

    @property
    def reverse_items(self) -> list[str]:
        return [item.code for item in self.items if item.reverse]

    @property
    def rating_codes(self) -> list[str]:
        return [question.code for question in self.relationship_questions]

    @property
    def text_codes(self) -> list[str]:
        return [question.code for question in self.text_questions]

    def scale(self, code: str) -> Scale:
        for scale in self.scales:
            if scale.code == code:
                return scale
        raise KeyError(f"the instrument {self.id} has no scale {code!r}")

    def composite_items(self, composite: str) -> list[str]:
        """Relationship question codes that make up `trust` or `value`."""
        return [q.code for q in self.relationship_questions if q.composite == composite]


def _choices(entries: list[dict[str, object]]) -> tuple[Choice, ...]:
    return tuple(Choice(int(str(e["value"])), str(e["label"])) for e in entries)


@cache
def load_instrument(instrument_id: str = DEFAULT_INSTRUMENT) -> Instrument:
    """Load an instrument definition shipped with Joined Up, by its id."""
    try:
        text = resources.files(__name__).joinpath(f"{instrument_id}.toml").read_text("utf-8")
    except FileNotFoundError:
        raise KeyError(f"there is no instrument called {instrument_id!r}") from None
    raw = tomllib.loads(text)
    items = tuple(
        Item(i["code"], i["scale"], i["text"], bool(i.get("reverse", False))) for i in raw["items"]
    )
    scales = tuple(
        Scale(
            code=s["code"],
            name=s["name"],
            higher_is_better=s["polarity"] == "higher_is_better",
            action=s["action"],
            summary=s["summary"],
            items=tuple(i.code for i in items if i.scale == s["code"]),
            short_name=s.get("short_name", s["name"]),
        )
        for s in raw["scales"]
    )
    return Instrument(
        id=raw["id"],
        title=raw["title"],
        preamble=raw["preamble"],
        agreement=_choices(raw["agreement"]["values"]),
        agreement_dont_know=raw["agreement"]["dont_know"],
        rating=_choices(raw["rating"]["values"]),
        rating_dont_know=raw["rating"]["dont_know"],
        contact_question=raw["contact"]["question"],
        contact=_choices(raw["contact"]["values"]),
        scales=scales,
        items=items,
        relationship_questions=tuple(
            Question(q["code"], q["text"], q["composite"]) for q in raw["relationship_questions"]
        ),
        text_questions=tuple(Question(q["code"], q["text"]) for q in raw["text_questions"]),
        roles=tuple(Label(r["code"], r["label"]) for r in raw["roles"]),
        sectors=tuple(Label(s["code"], s["label"]) for s in raw["sectors"]),
    )
