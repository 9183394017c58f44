"""What the surveys app says when an action cannot be done now."""

from __future__ import annotations


class SurveyError(Exception):
    """An action that cannot be done now; the message says why, in plain English."""


class ChannelRefused(SurveyError):
    """Organisations that already answer this round another way (see `channels.py`)."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__(" ".join(reasons))
