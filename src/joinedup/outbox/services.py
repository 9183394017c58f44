"""What the outbox does: whether it is in use, and who may read which messages."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from joinedup.accounts.models import User
from joinedup.partnerships.models import Partnership

from .models import OutboxMessage

SHOWN = 200  # the newest messages; older ones stay in the database


def outbox_active() -> bool:
    """True when e-mails are kept in the outbox (no EMAIL_HOST), not sent."""
    return bool(settings.EMAIL_BACKEND == settings.OUTBOX_BACKEND)


def require_outbox() -> None:
    """With a mail server there is no outbox: its pages do not exist."""
    if not outbox_active():
        raise Http404("There is no outbox: e-mails are sent by the mail server")


def partnership_messages(partnership: Partnership) -> QuerySet[OutboxMessage]:
    """The e-mails kept for one partnership, newest first."""
    return OutboxMessage.objects.filter(partnership=partnership)[:SHOWN]


def site_messages(user: User) -> QuerySet[OutboxMessage]:
    """E-mails that belong to no partnership (password resets): site operators only."""
    if not user.is_superuser:
        raise Http404("Only site operators see e-mails that belong to no partnership")
    return OutboxMessage.objects.filter(partnership__isnull=True)[:SHOWN]


def where_it_went() -> str:
    """A sentence for "sent" messages on pages: where the e-mails are, with no mail server."""
    if not outbox_active():
        return ""
    return " This site has no mail server: the emails are in the partnership’s outbox."
