"""Free-text answers: disclosure and redaction (SPEC §5).

Free text is reported at partnership level only, never by organisation, and
only when enough respondents answered the question. Contact details are
removed before anything leaves the core, and answers are sorted so their
order says nothing about who wrote them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

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


def _phone(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return "[phone number removed]" if 9 <= digits <= 15 else match.group(0)


def redact(text: str) -> str:
    """Remove e-mail addresses, links and phone numbers from an answer."""
    text = EMAIL.sub("[e-mail address removed]", text)
    text = LINK.sub("[link removed]", text)
    return PHONE.sub(_phone, text)


def _redacted(texts: pd.Series) -> list[str]:
    """Answers with contact details removed, sorted; each distinct answer redacted once."""
    distinct = pd.unique(texts.to_numpy(dtype=object))
    clean = {text: redact(text) for text in distinct}
    return sorted(texts.map(clean).tolist())


def text_section(
    answers: dict[str, np.ndarray],
    codes: Sequence[str],
    min_text_group_size: int,
    results: bool = True,
) -> dict[str, Any]:
    """Per free-text question: how many answered, whether shown, and the answers.

    An answer counts when it holds more than blank space. Answers are shown
    only when at least `min_text_group_size` respondents answered, and never
    when there are no results at all (`results` false: everyone together is
    fewer than the minimum group size).
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
            "answers": _redacted(texts) if shown else [],
            "themes": themes(texts) if shown else [],
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


def themes(texts: pd.Series) -> list[dict[str, Any]]:
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
    clean = {text: redact(text) for text in counts}
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
