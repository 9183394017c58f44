"""Steps for tests that race two database connections (PostgreSQL's row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction


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


@contextmanager
def held(work: Callable[[], Any]) -> Iterator[None]:
    """`work` done in a transaction on another connection, left open until the block ends.

    The block runs while that transaction holds whatever `work` locked and
    wrote; at its end the transaction commits (and its thread ends).
    """
    done, release = threading.Event(), threading.Event()
    failed: list[Exception] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                work()
                done.set()
                release.wait(30)
        except Exception as error:  # said by the assertion below
            failed.append(error)
            done.set()
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert done.wait(30) and not failed, failed
    try:
        yield
    finally:
        release.set()
        thread.join(30)
