"""What every e-mail the site sends has in common, and a worker's kept SMTP connection."""

from __future__ import annotations

import contextlib
import smtplib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

PARTNERSHIP_ATTRIBUTE = "joinedup_partnership_id"


def one_line(text: str) -> str:
    """Text on one line, its runs of spaces single.

    E-mail subjects cannot hold a line break (Django refuses to send them),
    and names and titles typed or pasted by people can contain one.
    """
    return " ".join(text.split())


def file_under(message: EmailMessage, partnership_id: int | None) -> EmailMessage:
    """Mark the message as belonging to a partnership, for the outbox.

    Only the outbox (used when there is no mail server) reads it, so that a
    partnership's facilitators see its e-mails. It is an attribute of the
    Python object, not a header: with a real mail server nothing of it leaves
    the site.
    """
    setattr(message, PARTNERSHIP_ATTRIBUTE, partnership_id)
    return message


# ------------------------------------------- a worker's kept SMTP connection

# One kept connection per thread: a worker process runs one task at a time,
# and each sending task hands its one e-mail to `send_kept`.
_kept = threading.local()


@dataclass
class _Kept:
    backend: BaseEmailBackend
    key: tuple[Any, ...]
    sent: int = 0
    used_at: float = field(default_factory=time.monotonic)


def _settings_key() -> tuple[Any, ...]:
    """What a connection was opened with: a change of settings opens a new one."""
    return (
        settings.EMAIL_BACKEND,
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_HOST_PASSWORD,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
        settings.EMAIL_TIMEOUT,
    )


def _stale(error: BaseException) -> bool:
    """An error that says the kept connection had gone, not that the message was refused."""
    if isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421


def _open() -> _Kept:
    backend = get_connection(fail_silently=False)
    try:
        backend.open()
    except BaseException:
        _close(backend)
        raise
    return _Kept(backend, _settings_key())


def _close(backend: BaseEmailBackend) -> None:
    """Close, politely if the server is still there; never raise (it may be long gone)."""
    try:
        backend.close()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        socket = getattr(backend, "connection", None)
        if socket is not None:
            with contextlib.suppress(OSError):
                socket.close()
            backend.connection = None  # type: ignore[attr-defined]


def drop_kept() -> None:
    """Close this thread's kept connection, if any (on an error, and at a worker's end)."""
    kept = getattr(_kept, "connection", None)
    _kept.connection = None
    if kept is not None:
        _close(kept.backend)


def send_kept(messages: list[EmailMessage]) -> int:
    """Send over this thread's kept connection; how many messages the server accepted.

    The connection opened for one task is used by the next, so that a worker
    does not connect, greet and quit for every e-mail. It is opened afresh
    when the settings change, after EMAIL_MESSAGES_PER_CONNECTION messages,
    after EMAIL_KEEP_IDLE_SECONDS without use, and after any error. A kept
    connection found gone (the server restarted, or closed an idle client)
    is replaced and the messages are tried once more over the new one: the
    server refused them before accepting anything, so nothing goes twice
    (save the one gap SMTP always leaves: a connection lost between the
    server's acceptance and its reply). Errors from a new connection are
    the caller's to handle, as with Django's own `send_messages`.
    """
    kept: _Kept | None = getattr(_kept, "connection", None)
    if kept is not None and (
        kept.key != _settings_key()
        or kept.sent >= settings.EMAIL_MESSAGES_PER_CONNECTION
        or time.monotonic() - kept.used_at > settings.EMAIL_KEEP_IDLE_SECONDS
    ):
        drop_kept()
        kept = None
    reused = kept is not None
    if kept is None:
        kept = _kept.connection = _open()
    try:
        accepted = kept.backend.send_messages(messages)
    except BaseException as error:
        drop_kept()
        if not (reused and _stale(error)):
            raise
        kept = _kept.connection = _open()
        try:
            accepted = kept.backend.send_messages(messages)
        except BaseException:
            drop_kept()
            raise
    kept.sent += len(messages)
    kept.used_at = time.monotonic()
    return accepted
