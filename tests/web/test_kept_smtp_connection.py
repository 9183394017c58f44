"""A worker keeps its SMTP connection between sending tasks, and the national-scale round.

Each e-mail is still its own task, recorded as sent only once the server
accepted it; what changes is that the connection one task opened serves the
next (`site/mail.py` `send_kept`). The server here is real (aiosmtpd on
loopback) and is restarted on the same port between tasks to leave the kept
connection dead. Also: many people queue one task of one e-mail each,
and the round page asks the same number of questions whatever its size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from joinedup.site.mail import drop_kept
from joinedup.surveys import services
from joinedup.surveys.models import Invitation, SendDue
from tests.conftest import free_port

from .worker import DATABASE_BACKEND, run_worker


class Sessions:
    """A real SMTP server that notes which connection brought each message."""

    def __init__(self) -> None:
        self.delivered: list[tuple[tuple[str, int], str]] = []  # (client address, recipient)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        self.delivered.append((tuple(session.peer), str(message["To"])))
        return "250 Message accepted for delivery"

    def connections(self) -> int:
        return len({peer for peer, _ in self.delivered})

    def recipients(self) -> Counter[str]:
        return Counter(to for _, to in self.delivered)


@pytest.fixture
def smtp(settings: Any) -> Iterator[tuple[Sessions, list[Controller]]]:
    sessions, port = Sessions(), free_port()
    running = [Controller(sessions, hostname="127.0.0.1", port=port)]
    running[0].start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    drop_kept()
    try:
        yield sessions, running
    finally:
        drop_kept()
        running[-1].stop()


def _restart(running: list[Controller]) -> None:
    """Stop the mail server and start a new one on the same port (same settings)."""
    old = running[-1]
    old.stop()
    new = Controller(old.handler, hostname=old.hostname, port=old.port)
    new.start()
    running.append(new)


def _invite(world: Any, survey_round: Any, first: int, count: int) -> None:
    people = [
        (f"person{n}@example.org", world.org("Northshire Police"))
        for n in range(first, first + count)
    ]
    services.add_invitations(survey_round, people)


def _all_recorded_sent(survey_round: Any, count: int) -> None:
    invitations = Invitation.objects.filter(round=survey_round)
    assert invitations.count() == count
    assert invitations.filter(sent_at__isnull=False, send_due="", send_error="").count() == count


def test_one_connection_carries_many_tasks_and_each_e_mail_goes_once(
    world, open_round, smtp, settings
) -> None:
    sessions, _ = smtp
    settings.EMAIL_MESSAGES_PER_CONNECTION = 4
    _invite(world, open_round, 0, 10)  # tasks run at once here, one e-mail each
    assert sessions.recipients() == Counter({f"person{n}@example.org": 1 for n in range(10)})
    assert sessions.connections() == 3  # 4 + 4 + 2, not 10
    _all_recorded_sent(open_round, 10)


def test_a_mail_server_restarted_between_tasks_loses_and_doubles_nothing(
    world, open_round, smtp
) -> None:
    sessions, running = smtp
    _invite(world, open_round, 0, 3)
    assert sessions.connections() == 1
    _restart(running)  # the kept connection is now dead
    _invite(world, open_round, 3, 3)
    assert sessions.recipients() == Counter({f"person{n}@example.org": 1 for n in range(6)})
    assert sessions.connections() == 2  # the dead one replaced once, then kept again
    _all_recorded_sent(open_round, 6)


def test_a_kept_connection_idle_too_long_is_not_used(world, open_round, smtp, settings) -> None:
    sessions, _ = smtp
    settings.EMAIL_KEEP_IDLE_SECONDS = 0
    _invite(world, open_round, 0, 3)
    assert sessions.connections() == 3
    _all_recorded_sent(open_round, 3)


def test_new_mail_settings_are_used_at_once_and_a_refused_connection_is_kept_to_retry(
    world, open_round, smtp, settings
) -> None:
    sessions, _ = smtp
    _invite(world, open_round, 0, 1)
    settings.EMAIL_PORT = free_port()  # nothing listens there: the kept one must not be used
    _invite(world, open_round, 1, 1)
    late = Invitation.objects.get(email="person1@example.org")
    assert late.sent_at is None and late.send_due == SendDue.INVITATION
    assert "not answering" in late.send_error
    assert sessions.recipients() == Counter({"person0@example.org": 1})


def test_many_people_queue_one_task_each_and_the_worker_sends_each_once(
    world, open_round, smtp, settings
) -> None:
    sessions, _ = smtp
    settings.TASKS = DATABASE_BACKEND
    _invite(world, open_round, 0, 30)
    ids = set(Invitation.objects.filter(round=open_round).values_list("pk", flat=True))
    queued = [row.args_kwargs for row in DBTaskResult.objects.all()]
    assert sorted(row["args"][0] for row in queued) == sorted(ids)
    assert all(row == {"args": [row["args"][0]], "kwargs": {}} for row in queued)
    assert Invitation.objects.filter(round=open_round, tokens__isnull=False).count() == 0
    assert sessions.delivered == []  # the request only queued
    run_worker()
    assert sessions.recipients() == Counter({f"person{n}@example.org": 1 for n in range(30)})
    _all_recorded_sent(open_round, 30)


def test_the_round_page_asks_as_many_questions_at_any_size(world, open_round) -> None:
    url = f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/"
    client = world.client(world.alice)
    client.get(url)  # the session and caches, once

    def questions() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _invite(world, open_round, 0, 2)
    small = questions()
    _invite(world, open_round, 2, 120)
    for organisation in world.organisations.values():
        services.add_invitations(
            open_round, [(f"lead@{organisation.pk}.example.org", organisation)]
        )
    Invitation.objects.filter(pk__in=Invitation.objects.filter(round=open_round)[:5]).update(
        send_due=SendDue.INVITATION, send_error="The mail server refused the address."
    )
    assert questions() == small + 1  # only the reasons some e-mails wait, once
