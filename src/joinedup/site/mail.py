"""What every e-mail the site sends has in common."""

from __future__ import annotations

from django.core.mail import EmailMessage

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
