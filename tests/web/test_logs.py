"""What the logs hold: never a survey token; waits for a server thread summed up once a minute."""

from __future__ import annotations

import logging

import waitress.server
from django.test import Client

from joinedup.cli import quiet_queue_log
from joinedup.site.logs import QueueDepthSummary, redact


def test_a_survey_link_in_a_log_line_keeps_its_path_but_not_its_token() -> None:
    token = "Zx9_aB3-Q7rT5uV1wY2zA4bC6dE8fG0hJ2kL4mN6pQ8"
    assert redact(f"Not Found: /s/{token}/partners/9/") == "Not Found: /s/[token]/partners/9/"
    assert redact(f"Too Many Requests: /o/{token}/") == "Too Many Requests: /o/[token]/"
    assert redact("Not Found: /sign-in/") == "Not Found: /sign-in/"


def test_django_request_logs_of_survey_pages_hold_no_token(world, caplog) -> None:
    token = "Zx9_aB3-Q7rT5uV1wY2zA4bC6dE8fG0hJ2kL4mN6pQ8"
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert Client().get(f"/s/{token}/").status_code == 404
    messages = [record.getMessage() for record in caplog.records]
    assert any("/s/[token]/" in message for message in messages)
    assert all(token not in message for message in messages)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_waits_for_a_server_thread_are_summed_up_once_a_minute(caplog) -> None:
    """Waitress's "Task queue depth" warning, once per waiting request, becomes a line a minute."""
    clock = _Clock()
    summary = QueueDepthSummary(logging.getLogger("waitress.queue"), every=60, clock=clock)
    with caplog.at_level(logging.WARNING, logger="waitress.queue"):
        for depth in (1, 4, 2):  # the first is written at once; the others wait
            summary.warning("Task queue depth is %d", depth)
            clock.now += 10
        assert len(caplog.records) == 1 and "(1 waiting)" in caplog.records[0].getMessage()
        clock.now += 40  # a minute after the first line
        summary.warning("Task queue depth is %d", 3)
    assert len(caplog.records) == 2
    assert caplog.records[1].getMessage() == (
        "3 requests waited for a free server thread in the last 70 s (at most 4 waiting at once)"
    )


def test_the_server_sums_up_its_queue_warnings() -> None:
    """`joinedup serve` puts the summary in place of waitress's own queue logger."""
    server = waitress.server.create_server(lambda environ, start: [], host="127.0.0.1", port=0)
    try:
        quiet_queue_log(server)
        assert isinstance(server.task_dispatcher.queue_logger, QueueDepthSummary)
        assert server.task_dispatcher.queue_logger.logger.name == "waitress.queue"
    finally:
        server.close()
