"""Survey tokens never reach a log."""

from __future__ import annotations

import logging

from django.test import Client

from joinedup.site.logs import redact


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
