"""Free-text answers: disclosure and redaction (SPEC §5).

Free text is reported at partnership level only, never by organisation, and
only when enough respondents answered the question. Contact details are
removed before anything leaves the core, and answers are sorted so their
order says nothing about who wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|uk|gov|nhs|io|info)(?:/\S*)?\b",
    re.IGNORECASE,
)
# Runs of at least nine digits, allowing spaces, dots, dashes and brackets
# between them, with an optional leading + (UK and international numbers).
PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){8,}(?![\w])")


def redact(text: str) -> str:
    """Remove e-mail addresses, links and phone numbers from an answer."""
    text = EMAIL.sub("[e-mail address removed]", text)
    text = LINK.sub("[link removed]", text)
    return PHONE.sub("[phone number removed]", text)


def text_section(
    answers: dict[str, np.ndarray], codes: Sequence[str], min_text_group_size: int
) -> dict[str, Any]:
    """Per free-text question: how many answered, whether shown, and the answers.

    An answer counts when it holds more than blank space. Answers are shown
    only when at least `min_text_group_size` respondents answered.
    """
    section: dict[str, Any] = {}
    for code in codes:
        column = answers.get(code)
        texts = [] if column is None else [str(t).strip() for t in column if str(t).strip()]
        shown = len(texts) >= min_text_group_size
        section[code] = {
            "n": len(texts),
            "shown": shown,
            "reason": None if shown else "too_few_answers",
            "answers": sorted(redact(t) for t in texts) if shown else [],
        }
    return section
