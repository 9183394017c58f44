"""Inviting and reminding people: each e-mail is one task the worker runs.

A request only records what each invitation is owed (`Invitation.send_due`)
and queues one task per e-mail, in the same transaction, so nothing asked
for can be lost. The task (`send_one`) makes a fresh link, hands the e-mail
to the mail server and, only once the server has accepted it, records it as
sent. Its guarantees:

- Nothing twice: a task first claims the invitation for a lease
  (`SEND_LEASE_SECONDS`); a second task for the same e-mail, or a re-run
  after it went, finds nothing owed or the claim held, and does nothing.
  The one gap SMTP leaves is a worker killed in the milliseconds between
  the server's acceptance and the commit that records it: that e-mail may
  go again, after the lease.
- Nothing lost: a failed send keeps what is owed and why (`send_error`),
  and the task queues itself again with a doubling delay, `SEND_ATTEMPTS`
  times; then "Send again" (`send_pending`) queues it afresh. A task a killed
  worker left running is queued again by the worker (`tasks.recover`).
- Links that keep working: each e-mail carries a token made inside the task,
  which exists only in that e-mail; its hash joins the invitation's others
  (`InvitationToken`), and every one of them works until the round closes.
"""

from __future__ import annotations

import functools
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from joinedup.partnerships.models import Organisation, Partnership
from joinedup.site.mail import file_under, one_line, send_kept

from . import channels
from .errors import ChannelRefused, SurveyError
from .models import Channel, Invitation, InvitationToken, Round, RoundStatus, SendDue
from .tokens import new_token, token_hash


def survey_url(token: str) -> str:
    return f"{settings.SITE_URL}/s/{token}/"


def add_invitations(
    survey_round: Round, people: list[tuple[str, Organisation]], send: bool = True
) -> tuple[list[int], list[str]]:
    """Invite people (e-mail, organisation) to a round; return the new invitations' ids and skipped.

    Someone already invited is skipped, not invited twice. In an open round
    each new invitation's e-mail is queued (unless `send` is False: the demo
    with a real mail server); in a draft round it waits for the round to open.
    Nobody is invited when any of their organisations already answers the
    round through an open link or imported answers (`ChannelRefused`).

    Built for an upload of 20,000 people in one request: no link is made
    and nothing is sent here; rows are written a column at a time on
    PostgreSQL, and the e-mails queued a thousand tasks an INSERT.
    """
    if survey_round.status in (RoundStatus.CLOSING, RoundStatus.CLOSED):
        raise SurveyError("This round is closed: nobody new can be invited.")
    rows: list[tuple[str, int, str]] = []  # address, organisation id, draft key
    skipped: list[str] = []
    owed = SendDue.INVITATION if send and survey_round.status == RoundStatus.OPEN else ""
    with transaction.atomic():
        organisations = [organisation for _, organisation in people]
        channels.lock(organisations, survey_round)
        refused = channels.refusals(survey_round, organisations, Channel.INVITATION)
        if refused:
            raise ChannelRefused(list(refused.values()))
        existing = set(
            Invitation.objects.filter(round=survey_round).values_list("email", flat=True)
        )
        for email, organisation in people:
            address = email.strip().lower()
            if address in existing:
                skipped.append(address)
                continue
            existing.add(address)
            # The hash of a token nobody is given: the key of the person's draft
            # until the first e-mail's token takes its place (see the model).
            rows.append((address, organisation.pk, token_hash(new_token())))
        ids = _insert_invitations(survey_round, rows, owed)
        if owed:
            _queue(ids)
    return ids, skipped


def _insert_invitations(
    survey_round: Round, rows: list[tuple[str, int, str]], owed: str
) -> list[int]:
    """Write the new invitations; their ids, in the order of `rows`."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        Invitation.objects.bulk_create(
            [
                Invitation(
                    round=survey_round,
                    organisation_id=organisation_id,
                    email=address,
                    token_hash=draft_key,
                    send_due=owed,
                )
                for address, organisation_id, draft_key in rows
            ],
            batch_size=1000,
        )
        emails = [address for address, _, _ in rows]
        found = dict(
            Invitation.objects.filter(round=survey_round, email__in=emails).values_list(
                "email", "pk"
            )
        )
        return [found[address] for address in emails]
    # One INSERT from arrays: for 20,000 rows the ORM's work per value took
    # seconds. The columns are the model's own; every other column is given
    # the model's default.
    fields = {field.name: field.column for field in Invitation._meta.concrete_fields}
    given = {
        "round": "%s",
        "organisation": "unnest(%s::bigint[])",
        "email": "unnest(%s::text[])",
        "token_hash": "unnest(%s::text[])",
        "created_at": "now()",
        "reminders": "0",
        "done": "false",
        "send_due": "%s",
        "send_attempts": "0",
        "send_error": "''",
    }
    nullable = {f.name for f in Invitation._meta.concrete_fields if f.null}
    if set(fields) - set(given) - nullable != {"id"}:  # a new column: give it here
        raise RuntimeError(
            f"Invitation columns not written here: {sorted(set(fields) - set(given))}"
        )
    names = ", ".join(f'"{fields[name]}"' for name in given)
    addresses = [address for address, _, _ in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{Invitation._meta.db_table}" ({names}) '
            f"SELECT {', '.join(given.values())} "
            f'RETURNING "{fields["email"]}", "{fields["id"]}"',
            [
                survey_round.pk,
                [organisation_id for _, organisation_id, _ in rows],
                addresses,
                [draft_key for _, _, draft_key in rows],
                owed,
            ],
        )
        found = dict(cursor.fetchall())
    return [found[address] for address in addresses]


def send_pending(survey_round: Round) -> int:
    """Queue every invitation whose e-mail has not gone yet; returns how many.

    This is both "send the invitations added while the round was a draft" and
    "Send again" after the mail server failed: the tries start afresh.
    """
    if survey_round.status != RoundStatus.OPEN:
        raise SurveyError("Invitations are sent while the round is open.")
    with transaction.atomic():
        pending = Invitation.objects.filter(round=survey_round).filter(
            Q(sent_at__isnull=True) | ~Q(send_due="")
        )
        pending.filter(sent_at__isnull=True).update(send_due=SendDue.INVITATION)
        ids = list(pending.values_list("pk", flat=True))
        Invitation.objects.filter(pk__in=ids).update(send_attempts=0)
        _queue(ids)
    return len(ids)


def remind(survey_round: Round, organisations: list[Organisation] | None = None) -> int:
    """Queue a reminder, with a fresh link, to everyone invited who has not finished.

    Every link a person already holds keeps working. Someone whose invitation
    never went gets the invitation instead. Returns how many e-mails were queued.
    """
    if survey_round.status != RoundStatus.OPEN:
        raise SurveyError("Reminders can only be sent while the round is open.")
    with transaction.atomic():
        pending = Invitation.objects.filter(round=survey_round, done=False)
        if organisations is not None:
            pending = pending.filter(organisation__in=organisations)
        pending.filter(sent_at__isnull=True).update(send_due=SendDue.INVITATION)
        pending.filter(sent_at__isnull=False, send_due="").update(send_due=SendDue.REMINDER)
        ids = list(pending.values_list("pk", flat=True))
        Invitation.objects.filter(pk__in=ids).update(send_attempts=0)
        _queue(ids)
    return len(ids)


def _queue(invitation_ids: list[int]) -> None:
    """One task per e-mail, written a thousand rows at a time (20,000 in one upload)."""
    from joinedup.worker.queue import enqueue_each

    from .tasks import send_invitation_email

    enqueue_each(send_invitation_email, invitation_ids)


# ------------------------------------------------------------ in the worker


def send_one(invitation_id: int) -> str:
    """Send the e-mail an invitation is owed, once; what happened, in a word (for the task log).

    Runs in the worker. The new token's hash is stored (and committed) before
    the e-mail goes, so a link that arrives always works; the invitation is
    recorded as sent only after the mail server accepted the message.

    Written in SQL of its own (the same on SQLite and PostgreSQL): at a
    hundred e-mails a second, composing the ORM's statements was most of the
    worker's time. One transaction of three statements before the e-mail
    goes (claim, link, names for the message), one statement after.
    """
    now = timezone.now()
    lease = now - timedelta(seconds=settings.SEND_LEASE_SECONDS)
    token = new_token()
    hashed = token_hash(token)
    sql = _statements()
    adapt = connection.ops.adapt_datetimefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        # The claim, and (for a first link) its hash as the draft's key: no
        # draft exists yet, as no link did; a finished person keeps theirs.
        cursor.execute(
            sql["claim"],
            [adapt(now), SendDue.REMINDER, hashed, invitation_id, adapt(lease), RoundStatus.OPEN],
        )
        claimed = cursor.fetchone()
        if claimed is None:
            return "nothing to send"
        due, done, attempts, email, round_id, organisation_id = claimed
        reminder = due == SendDue.REMINDER
        if reminder and done:  # finished since the reminder was asked for
            cursor.execute(sql["release"], [invitation_id])
            return "finished meanwhile"
        cursor.execute(sql["link"], [invitation_id, hashed])
        cursor.execute(sql["names"], [organisation_id, round_id])
        names = cursor.fetchone()
    try:
        # The worker's kept connection: one connection for many tasks, each
        # still its own e-mail, recorded as sent only once accepted.
        accepted = send_kept([_message(_Names(*names), email, token, reminder)])
        if not accepted:
            raise smtplib.SMTPException("the mail server did not accept the message")
    except (smtplib.SMTPException, OSError) as error:
        _failed(invitation_id, attempts, _reason(error))
        return "failed"
    # A reminder counts; an invitation keeps the time it first went, if an earlier copy went too.
    with connection.cursor() as cursor:
        cursor.execute(
            sql["reminded" if reminder else "sent"], [adapt(timezone.now()), invitation_id]
        )
    return "sent"


# `send_one`'s SQL. The names are the models' own, checked once (`_statements`).
_DONE = "send_due = '', send_attempts = 0, send_error = '', send_claimed_at = NULL"
_SQL = {
    # The claim, and a first link's hash as the draft's key (see `send_one`).
    "claim": """
        UPDATE surveys_invitation SET send_claimed_at = %s,
            token_hash = CASE
                WHEN (send_due = %s AND done) OR EXISTS (
                    SELECT 1 FROM surveys_invitationtoken
                    WHERE surveys_invitationtoken.invitation_id = surveys_invitation.id)
                THEN token_hash ELSE %s END
        WHERE id = %s AND send_due <> ''
            AND (send_claimed_at IS NULL OR send_claimed_at < %s)
            AND EXISTS (SELECT 1 FROM surveys_round
                        WHERE surveys_round.id = surveys_invitation.round_id
                        AND surveys_round.status = %s)
        RETURNING send_due, done, send_attempts, email, round_id, organisation_id""",
    "release": """
        UPDATE surveys_invitation SET send_due = '', send_claimed_at = NULL WHERE id = %s""",
    "link": """
        INSERT INTO surveys_invitationtoken (invitation_id, token_hash) VALUES (%s, %s)""",
    "names": """
        SELECT p.id, p.name, p.min_group_size, r.label, o.name
        FROM surveys_round r
        JOIN partnerships_partnership p ON p.id = r.partnership_id
        JOIN partnerships_organisation o ON o.id = %s
        WHERE r.id = %s""",
    "sent": f"""
        UPDATE surveys_invitation SET {_DONE}, sent_at = COALESCE(sent_at, %s)
        WHERE id = %s""",
    "reminded": f"""
        UPDATE surveys_invitation SET {_DONE}, reminded_at = %s, reminders = reminders + 1
        WHERE id = %s""",
}
_COLUMNS = {
    Invitation: {"id", "round_id", "organisation_id", "email", "token_hash", "done", "send_due",
                 "send_attempts", "send_error", "send_claimed_at", "sent_at", "reminded_at",
                 "reminders"},
    InvitationToken: {"invitation_id", "token_hash"},
    Round: {"id", "partnership_id", "label", "status"},
    Partnership: {"id", "name", "min_group_size"},
    Organisation: {"id"},
}  # fmt: skip


@functools.cache
def _statements() -> dict[str, str]:
    """`send_one`'s SQL, once its tables and columns are known to be the models' own."""
    for model, columns in _COLUMNS.items():
        known = {field.column for field in model._meta.concrete_fields}
        table = model._meta.db_table
        if columns - known or table not in " ".join(_SQL.values()):
            raise RuntimeError(f"send_one's SQL does not match {table}: {sorted(columns - known)}")
    return _SQL


@dataclass(frozen=True)
class _Names:
    """What an e-mail says besides its link: read with the claim, in one query."""

    partnership_id: int
    partnership: str
    min_group_size: int
    round: str
    organisation: str


def _partnership(names: _Names) -> Partnership:
    """The partnership as an e-mail needs it (name, phrase, threshold), from the names read."""
    return Partnership(
        pk=names.partnership_id, name=names.partnership, min_group_size=names.min_group_size
    )


def _message(names: _Names, email: str, token: str, reminder: bool) -> EmailMessage:
    partnership = _partnership(names)
    subject = (
        f"Reminder: {partnership.phrase} survey"
        if reminder
        else f"{partnership.name}: your partnership survey"
    )
    body = _body(names, reminder).replace(_URL, survey_url(token))
    message = EmailMessage(one_line(subject), body, to=[email])
    return file_under(message, names.partnership_id)


_URL = "\x00url\x00"  # where the link goes in a body made once for many e-mails


@functools.lru_cache(maxsize=256)
def _body(names: _Names, reminder: bool) -> str:
    """The e-mail's text with a mark for its link: made once for everyone with the same names.

    The names are read afresh for every e-mail, so a partnership renamed
    mid-send is named anew at once; only the template's work is saved.
    """
    partnership = _partnership(names)
    context = {
        "partnership": partnership,
        "round": Round(partnership=partnership, label=names.round),
        "organisation": Organisation(partnership=partnership, name=names.organisation),
        "url": _URL,
        "reminder": reminder,
        "min_group_size": names.min_group_size,
    }
    return render_to_string("surveys/email/invitation.txt", context)


def _reason(error: BaseException) -> str:
    """Why a send failed, in words a facilitator can act on (never an address)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the address."
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return "The mail server refused our user name or password."
    if isinstance(error, ConnectionRefusedError | smtplib.SMTPConnectError):
        return "The mail server is not answering (connection refused)."
    if isinstance(error, TimeoutError):
        return "The mail server did not answer in time."
    if isinstance(error, smtplib.SMTPResponseException):
        return f"The mail server said: {error.smtp_code} {error.smtp_error!r}"[:300]
    return f"The mail server could not be reached ({type(error).__name__})."


def _failed(invitation_id: int, attempts_before: int, reason: str) -> None:
    """Keep what is owed and why; try again later, a bounded number of times."""
    from .tasks import send_invitation_email

    attempts = attempts_before + 1
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation_id).update(
            send_attempts=attempts, send_error=reason, send_claimed_at=None
        )
        # A backend that runs tasks at once (tests) cannot wait: "Send again" then.
        if attempts < settings.SEND_ATTEMPTS and send_invitation_email.get_backend().supports_defer:
            wait = settings.SEND_RETRY_SECONDS * 2 ** (attempts - 1)
            send_invitation_email.using(run_after=timezone.now() + timedelta(seconds=wait)).enqueue(
                invitation_id
            )


# ---------------------------------------------------------- what is shown


def sending_progress(
    survey_round: Round, counts: dict[int, dict[str, int]] | None = None
) -> dict[str, Any]:
    """Counts for the round page: e-mails sent, waiting, and why they wait. Never who.

    From `channels.invitation_counts` (one pass over the round's invitations,
    which the round page shares with its counts by organisation), and a
    second query only when some e-mails wait with a reason.
    """
    groups = list((channels.invitation_counts(survey_round) if counts is None else counts).values())
    names = ["total", "waiting", "invitations_owed", "stopped", "never_sent", "with_reason"]
    summed = {name: sum(group[name] for group in groups) for name in names}
    summed["invitations_sent"] = summed["total"] - sum(group["not_sent"] for group in groups)
    reasons: list[tuple[str, int]] = []
    if summed.pop("with_reason"):
        reasons = list(
            Invitation.objects.filter(round=survey_round)
            .exclude(send_due="")
            .exclude(send_error="")
            .order_by()
            .values_list("send_error")
            .annotate(count=Count("pk"))
            .values_list("send_error", "count")
        )
    return {**summed, "reasons": sorted(reasons, key=lambda pair: (-pair[1], pair[0]))}


def issue_link(invitation: Invitation) -> str:
    """A working link made outside any e-mail: for the demo's made-up people, and tests.

    No page or task of the product calls this: there a token exists only in its e-mail.
    """
    token = new_token()
    with transaction.atomic():
        InvitationToken.objects.create(invitation=invitation, token_hash=token_hash(token))
        if invitation.tokens.count() == 1:
            Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash(token))
    return survey_url(token)
