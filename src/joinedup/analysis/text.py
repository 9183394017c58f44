"""Free-text answers: disclosure and redaction (SPEC §5).

Free text is reported at partnership level only, never by organisation, and
only when enough respondents answered the question. Before anything leaves
the core, each answer loses, each replaced by a placeholder in brackets:

- e-mail addresses, links and phone numbers (+ or 0, then 9 to 15 digits);
- UK postcodes, in full ("NE1 4ST", "ne14st"; a district alone, "NE1", is
  left, as it names thousands of people);
- National Insurance numbers ("AB 12 34 56 C", with the prefixes HMRC
  issues);
- NHS numbers: ten digits, together or spaced 3-3-4, whose last digit is
  the modulus 11 check of the others. The check keeps ordinary ten-digit
  numbers (nine in ten fail it), and a mistyped NHS number names nobody;
- people's names, by the rules in `joinedup.analysis.names`, leaving the
  partnership's own organisation names alone.

Answers are sorted so their order says nothing about who wrote them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .names import remove_names

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# A web address: with a scheme or www., any domain followed by a path
# (bit.ly/x, forms.gle/x), or a bare domain ending in a common top-level
# domain written in lower case (so "the council.Info sharing" is left alone).
LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}/\S*"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|gov|nhs|io|info|co|me|ly|gle|app)\b"
)
# A phone number starts with + (international) or 0 (UK), perhaps in
# brackets, and has 9 to 15 digits, allowing spaces, dots and dashes between
# them. Dates, years and counts ("2023 2024 2025") do not start that way.
PHONE = re.compile(r"(?<![\w+])(?:\+|\(0|0)[\d\s().-]{7,22}\d(?![\w])")
# A full UK postcode: outward code (A9, A99, AA9, AA99, A9A, AA9A), an
# optional space, inward code (9AA). Letters in either case.
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
# Prefix letters never used: D, F, I, Q, U, V in either place, O second;
# BG, GB, NK, KN, TN, NT and ZZ are not issued either.
NINO = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"(?:[ -]?\d{2}){3}[ -]?[A-D]\b",
    re.IGNORECASE,
)
ORDINAL = re.compile(r"(?:1st|2nd|3rd|[04-9]th)$")
TEN_DIGITS = re.compile(r"(?<![\w.,-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\w]|[.,]\d)")


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return "[phone number removed]" if 9 <= digits <= 15 else match.group(0)


def is_nhs_number(digits: str) -> bool:
    """Whether ten digits pass the NHS number's modulus 11 check.

    The first nine digits are weighted 10 down to 2; 11 minus the sum's
    remainder on division by 11 is the check digit (11 becomes 0; 10 is never
    issued). Source: NHS Data Dictionary, "NHS Number".
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return check != 10 and check == int(digits[9])


def _postcode(match: re.Match[str]) -> str:
    found = match.group(0)
    # "Q3 4th" or "Q1 2nd" is a date, not a postcode; postcodes are written
    # all in capitals or all in lower case.
    if not (found.isupper() or found.islower()) or ORDINAL.search(found):
        return found
    return "[postcode removed]"


def _nhs_number(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[NHS number removed]" if is_nhs_number(digits) else match.group(0)


def redact(text: str, keep: Iterable[str] = ()) -> str:
    """Remove contact details, identifying numbers and people's names from an answer.

    `keep` holds phrases left untouched by the name rules: the partnership's
    organisation names.
    """
    text = EMAIL.sub("[e-mail address removed]", text)
    text = LINK.sub("[link removed]", text)
    text = TEN_DIGITS.sub(_nhs_number, text)
    text = NINO.sub("[National Insurance number removed]", text)
    text = POSTCODE.sub(_postcode, text)
    text = PHONE.sub(_phone, text)
    return remove_names(text, keep)


def _redacted(texts: pd.Series, keep: Sequence[str]) -> list[str]:
    """Answers with contact details removed, sorted; each distinct answer redacted once."""
    distinct = pd.unique(texts.to_numpy(dtype=object))
    clean = {text: redact(text, keep) for text in distinct}
    return sorted(texts.map(clean).tolist())


def text_section(
    answers: dict[str, np.ndarray],
    codes: Sequence[str],
    min_text_group_size: int,
    results: bool = True,
    keep: Sequence[str] = (),
) -> dict[str, Any]:
    """Per free-text question: how many answered, whether shown, and the answers.

    An answer counts when it holds more than blank space. Answers are shown
    only when at least `min_text_group_size` respondents answered, and never
    when there are no results at all (`results` false: everyone together is
    fewer than the minimum group size). `keep` holds the partnership's
    organisation names, which the name rules leave alone.
    """
    section: dict[str, Any] = {}
    for code in codes:
        column = answers.get(code)
        texts = pd.Series([] if column is None else column, dtype=object).fillna("").astype(str)
        texts = texts.str.strip()
        texts = texts[texts != ""]
        shown = results and len(texts) >= min_text_group_size
        section[code] = {
            "n": len(texts),
            "shown": shown,
            "reason": None if shown else "too_few_answers",
            "answers": _redacted(texts, keep) if shown else [],
            "themes": themes(texts, keep) if shown else [],
        }
    return section


STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "doing",
        "done",
        "each",
        "for",
        "from",
        "get",
        "gets",
        "getting",
        "had",
        "has",
        "have",
        "having",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "more",
        "most",
        "much",
        "must",
        "need",
        "needs",
        "no",
        "not",
        "of",
        "on",
        "one",
        "or",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "partners",
        "partnership",
        "really",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
THEME_SIMILARITY = 0.5
THEME_EXAMPLES = 3


def content_words(text: str) -> frozenset[str]:
    """Content words of an answer: lower case, no stop words, a plural 's' dropped."""
    found = re.findall(r"[a-z][a-z']+", text.lower())
    return frozenset(
        word[:-1] if word.endswith("s") and len(word) > 3 else word
        for word in found
        if word not in STOP_WORDS and len(word) > 2
    )


def themes(texts: pd.Series, keep: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Similar answers grouped together, most common theme first.

    Answers are compared by their content words (Jaccard similarity of at
    least 0.5 with a theme's first answer joins the theme). A theme is
    labelled by its most common answer; it carries its count, up to three
    example answers and its commonest words. Answers are redacted first.
    """
    spaced = texts.map(lambda t: " ".join(t.split()))
    # Answers that differ only in case or spacing count as one; the spelling
    # shown is the commonest.
    spellings = Counter(spaced.tolist())
    shown: dict[str, str] = {}
    for spelling, _ in sorted(spellings.items(), key=lambda pair: (-pair[1], pair[0])):
        shown.setdefault(spelling.casefold(), spelling)
    counts = Counter(spaced.str.casefold().map(shown).tolist())
    clean = {text: redact(text, keep) for text in counts}
    groups: list[dict[str, Any]] = []
    for text, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        words = content_words(clean[text])
        home = None
        for group in groups:
            union = words | group["words"]
            if union and len(words & group["words"]) / len(union) >= THEME_SIMILARITY:
                home = group
                break
        if home is None:
            home = {"words": words, "answers": Counter(), "vocabulary": Counter()}
            groups.append(home)
        home["answers"][clean[text]] += count
        for word in re.findall(r"[a-z][a-z']+", clean[text].lower()):
            if word not in STOP_WORDS and len(word) > 2:
                home["vocabulary"][word] += count
    result: list[dict[str, Any]] = []
    for group in groups:
        answers: Counter[str] = group["answers"]
        vocabulary: Counter[str] = group["vocabulary"]
        ranked = sorted(answers.items(), key=lambda pair: (-pair[1], pair[0]))
        result.append(
            {
                "label": ranked[0][0],
                "count": sum(answers.values()),
                "examples": [text for text, _ in ranked[:THEME_EXAMPLES]],
                "keywords": [w for w, _ in vocabulary.most_common(3)],
            }
        )
    result.sort(key=lambda theme: (-theme["count"], theme["label"]))
    return result
