"""Fixtures shared by every test folder: a real SMTP server on loopback.

The suite runs with a secret key of its own, as production must: without one
the WSGI application refuses to load (site/startup.py).
"""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from joinedup.site.mail import drop_kept

settings.SECRET_KEY = secrets.token_urlsafe(50)
settings.SECRET_KEY_FROM_ENVIRONMENT = True
# Tasks run at once, in the test's own transaction, so tests stay deterministic;
# tests of the worker itself switch to the database backend (tests/web/worker.py).
settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# ----------------------------------------------------------------- e-mail


@dataclass
class Mailbox:
    """Messages received by a real SMTP server listening on loopback."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def body(message: Message) -> str:
        payload = message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        return payload.decode(message.get_content_charset() or "utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mailbox.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """Start an SMTP server on 127.0.0.1 and point Django's e-mail at it."""
    box = Mailbox("127.0.0.1", free_port())
    controller = Controller(_Handler(box), hostname=box.host, port=box.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = box.host
    settings.EMAIL_PORT = box.port
    settings.EMAIL_USE_TLS = False
    try:
        yield box
    finally:
        drop_kept()  # a worker's kept SMTP connection (site/mail.py) dies with its server
        controller.stop()
