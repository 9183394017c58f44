"""Steps for tests that race two database connections (PostgreSQL's row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def started(job: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run `job` in a thread on its own connection; the list gets its result or its error."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(job())
        except Exception as error:  # the test looks at it
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome
