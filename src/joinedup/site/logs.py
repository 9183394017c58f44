"""Logging that keeps the anonymity promise: survey tokens never reach a log."""

from __future__ import annotations

import logging
import re

SURVEY_LINK = re.compile(r"/([so])/[A-Za-z0-9_-]{16,}")


def redact(text: str) -> str:
    """Replace the secret part of every survey link in a text."""
    return SURVEY_LINK.sub(r"/\1/[token]", text)


class RedactSurveyTokens(logging.Filter):
    """Rewrite a record whose message holds a survey link (e.g. Django's "Not Found: /s/…").

    Only the token's hash is stored anywhere; a log line must not keep the
    token itself, which would let anyone reading the logs answer as that person.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
