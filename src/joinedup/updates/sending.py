"""Building, addressing and sending the weekly update, once per person per week.

The weekly job (`worker.schedule`) queues `queue_weekly_updates`, which
queues one `send_weekly_update` task per subscription. Each task works out
the update, and sends nothing when it is empty. Before sending it claims the
row (person, partnership, ISO week) in `SentUpdate`; a second run of the
task, or of the job, finds the row and sends nothing. A message that could
not be sent gives its claim back, so a retry may try again; a worker that
dies between claiming and sending leaves the claim, so the update is
missed rather than sent twice.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from joinedup.accounts.models import User
from joinedup.partnerships.models import Membership
from joinedup.site.mail import file_under, one_line

from .content import WeeklyUpdate, for_membership
from .models import SentUpdate, Subscription

logger = logging.getLogger(__name__)

SALT = "joinedup.updates.unsubscribe"


# ----------------------------------------------------------------- unsubscribing


def unsubscribe_token(user_id: int, partnership_id: int) -> str:
    """A signed token naming one person and one partnership, for the link in each e-mail.

    It needs no sign-in and does not expire: an old e-mail's link must still
    work. It can only ever turn the update off.
    """
    return signing.dumps([user_id, partnership_id], salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int] | None:
    """(person, partnership) from a token, or None if it was not made by this site."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        return None
    return value[0], value[1]


def unsubscribe_url(user_id: int, partnership_id: int) -> str:
    token = unsubscribe_token(user_id, partnership_id)
    return settings.SITE_URL + reverse("updates:unsubscribe", args=[token])


def unsubscribe(user_id: int, partnership_id: int) -> bool:
    """Stop the update; True if it was on."""
    deleted, _ = Subscription.objects.filter(
        user_id=user_id, partnership_id=partnership_id
    ).delete()
    return deleted > 0


# ----------------------------------------------------------------- the message


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def context(update: WeeklyUpdate, user: User | None, unsubscribe_link: str) -> dict[str, object]:
    partnership = update.partnership
    return {
        "update": update,
        "user": user,
        "partnership": partnership,
        "overview_url": settings.SITE_URL + reverse("partnerships:overview", args=[partnership.pk]),
        "preferences_url": settings.SITE_URL + reverse("updates:preferences"),
        "unsubscribe_url": unsubscribe_link,
        "site_name": settings.SITE_NAME,
    }


def message(update: WeeklyUpdate, user: User) -> EmailMultiAlternatives:
    """The update as an e-mail: plain text and HTML, with RFC 8058 one-click unsubscribing."""
    link = unsubscribe_url(user.pk, update.partnership.pk)
    values = context(update, user, link)
    text = render_to_string("updates/email/weekly.txt", values)
    html = render_to_string("updates/email/weekly.html", values)
    subject = one_line(f"{update.partnership.name}: your weekly update")
    email = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    return file_under(email, update.partnership.pk)


# ----------------------------------------------------------------- sending


def _claim(user_id: int, partnership_id: int, week: str) -> SentUpdate | None:
    try:
        with transaction.atomic():
            return SentUpdate.objects.create(
                user_id=user_id, partnership_id=partnership_id, week=week
            )
    except IntegrityError:  # already claimed this week
        return None


def send_one(user_id: int, partnership_id: int, week: str) -> str:
    """Send one person's update for one partnership this week, at most once."""
    membership = (
        Membership.objects.select_related("partnership", "organisation", "user")
        .filter(user_id=user_id, partnership_id=partnership_id, user__is_active=True)
        .first()
    )
    if membership is None:
        return "not a member"
    if not Subscription.objects.filter(user_id=user_id, partnership_id=partnership_id).exists():
        return "not subscribed"
    update = for_membership(membership, timezone.now(), timezone.localdate())
    if update.empty:
        return "nothing new"
    claim = _claim(user_id, partnership_id, week)
    if claim is None:
        return "already sent"
    try:
        delivered = message(update, membership.user).send() == 1
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the weekly update to person %s", user_id)
        delivered = False
    if not delivered:
        claim.delete()  # nobody heard: a retry may try again
        return "failed"
    return "sent"


def subscriptions() -> list[tuple[int, int]]:
    """(person, partnership) for every subscription of an active member of that partnership."""
    return list(
        Subscription.objects.filter(
            user__is_active=True, user__memberships__partnership=F("partnership")
        )
        .order_by("partnership_id", "user_id")
        .values_list("user_id", "partnership_id")
    )
