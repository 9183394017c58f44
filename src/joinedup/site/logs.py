"""Logging that keeps the anonymity promise: survey tokens never reach a log."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable

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


class QueueDepthSummary:
    """Stands in for waitress's queue logger: one line a minute, not one per waiting request.

    Waitress warns "Task queue depth is N" each time a request arrives while
    every server thread is busy: under load, a line for most requests (a
    flood in the log, and about 2% of the server's time spent writing it).
    The first is written at once; after that, one line every `every` seconds
    says how many requests waited since the last line and the deepest the
    queue was, so an operator still sees that the server needs more threads
    or processes (docs/operations.md, "What to watch").
    """

    def __init__(
        self,
        logger: logging.Logger,
        every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.every = every
        self.clock = clock
        self._lock = threading.Lock()
        self._waited = 0
        self._deepest = 0
        self._last: float | None = None

    def warning(self, message: str, depth: int = 0, *args: object, **kwargs: object) -> None:
        with self._lock:
            now = self.clock()
            self._waited += 1
            self._deepest = max(self._deepest, int(depth))
            if self._last is not None and now - self._last < self.every:
                return
            waited, deepest, since = self._waited, self._deepest, self._last
            self._waited, self._deepest, self._last = 0, 0, now
        if since is None:
            self.logger.warning(
                "A request waited for a free server thread (%d waiting); such waits are "
                "summed up here once a minute",
                deepest,
            )
        else:
            self.logger.warning(
                "%d requests waited for a free server thread in the last %.0f s "
                "(at most %d waiting at once)",
                waited,
                now - since,
                deepest,
            )
