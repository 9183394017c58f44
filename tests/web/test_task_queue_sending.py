"""Invitations and reminders sent by the worker: nothing lost, nothing twice, no link broken.

The mail server is real (aiosmtpd on loopback, the `mailbox` fixture); it is
"stopped" by pointing Django's e-mail at a port where nothing listens. Tasks
are queued in the database and run by the backend's own worker (`worker.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client

from joinedup.surveys import services
from joinedup.surveys.models import ClosedLink, Draft, Invitation, InvitationToken
from joinedup.surveys.tokens import token_hash
from tests.conftest import free_port

from .survey_steps import start
from .worker import run_worker, task_queue, time_passes, waiting_tasks  # noqa: F401

pytestmark = pytest.mark.usefixtures("task_queue")

LINK = re.compile(r"http://[^\s]+/s/([A-Za-z0-9_-]{43})/")
PEOPLE = [(f"person{n}@example.org", "Northshire Police") for n in range(5)]


@contextmanager
def mail_server_stopped(settings: Any) -> Iterator[None]:
    working = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: connection refused
    try:
        yield
    finally:
        settings.EMAIL_PORT = working


def _url(world: Any, survey_round: Any, action: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/{action}"


def _invite(world: Any, survey_round: Any, people: list[tuple[str, str]]) -> Any:
    lines = "\n".join(f"{email}, {organisation}" for email, organisation in people)
    return world.client(world.alice).post(_url(world, survey_round, "invite/"), {"people": lines})


def _tokens(mailbox: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in mailbox.messages:
        found.setdefault(str(message["To"]), []).append(LINK.search(mailbox.body(message)).group(1))
    return found


def test_with_the_mail_server_stopped_nothing_is_lost_and_all_is_sent_when_it_returns(
    world, open_round, mailbox, settings
) -> None:
    with mail_server_stopped(settings):
        page = _invite(world, open_round, PEOPLE)
        # The request only queues: it answers at once and says so.
        assert page.status_code == 302 and page["Location"].endswith("/progress/")
        assert waiting_tasks() == len(PEOPLE)
        run_worker()
    assert mailbox.messages == []
    # Every invitation is kept, owed, with the mail server's reason; a retry waits.
    owed = Invitation.objects.filter(round=open_round)
    assert owed.count() == len(PEOPLE)
    assert set(owed.values_list("send_due", "send_attempts", "sent_at")) == {("invite", 1, None)}
    assert waiting_tasks() == len(PEOPLE)  # each queued again, after a back-off
    # The facilitator sees how many wait and why, on a page that refreshes itself.
    progress = world.client(world.alice).get(_url(world, open_round, "progress/"))
    text = progress.content.decode()
    assert '<meta http-equiv="refresh" content="5">' in text
    assert "Sending invitations: 0 of 5 sent." in text
    assert "5 emails waiting to be sent" in text
    assert "5: The mail server is not answering (connection refused)." in text
    assert "person0@example.org" not in text  # counts only, never who
    # Inviting them again says they are invited: nothing is made twice.
    _invite(world, open_round, PEOPLE)
    assert Invitation.objects.filter(round=open_round).count() == len(PEOPLE)

    # The mail server is back; the back-off runs out; the worker sends each one once.
    time_passes()
    run_worker()
    tokens = _tokens(mailbox)
    assert sorted(tokens) == sorted(email for email, _ in PEOPLE)
    assert all(len(links) == 1 for links in tokens.values())
    assert not Invitation.objects.filter(round=open_round, sent_at__isnull=True).exists()
    assert set(owed.values_list("send_due", "send_error")) == {("", "")}
    for [token] in tokens.values():
        assert Client().get(f"/s/{token}/").status_code == 200
    # The progress page stops refreshing once everything has gone.
    done = world.client(world.alice).get(_url(world, open_round, "progress/")).content.decode()
    assert (
        "http-equiv" not in done and "Every invitation that can be sent now has been sent" in done
    )
    # A task run again (a duplicate, a retry that lost a race) sends nothing more.
    from joinedup.surveys.tasks import send_invitation_email

    for invitation in owed:
        send_invitation_email.enqueue(invitation.pk)
    run_worker()
    assert len(mailbox.messages) == len(PEOPLE)


def test_an_email_that_kept_failing_can_always_be_sent_again(
    world, open_round, mailbox, settings
) -> None:
    settings.SEND_ATTEMPTS = 2
    with mail_server_stopped(settings):
        _invite(world, open_round, PEOPLE[:2])
        run_worker()
        time_passes()
        run_worker()
    # Two tries each, then they stop: nothing waits in the queue, the reason stays.
    assert waiting_tasks() == 0
    round_page = world.client(world.alice).get(_url(world, open_round)).content.decode()
    assert "2 emails have stopped being tried" in round_page
    assert "Send the unsent invitations again" in round_page
    world.client(world.alice).post(_url(world, open_round, "send-again/"))
    run_worker()
    assert sorted(_tokens(mailbox)) == ["person0@example.org", "person1@example.org"]


def test_a_failed_reminder_then_a_retry_leaves_every_earlier_link_working(
    world, open_round, mailbox, settings
) -> None:
    _invite(world, open_round, PEOPLE[:1])
    run_worker()
    [first] = _tokens(mailbox)["person0@example.org"]
    # The first link is used: a page of answers is saved under it.
    person = Client()
    start(person, first)
    assert person.post(f"/s/{first}/about/", {"role": "manager"}).status_code == 302
    with mail_server_stopped(settings):
        world.client(world.alice).post(_url(world, open_round, "remind/"))
        run_worker()
    time_passes()
    run_worker()  # the retry goes
    world.client(world.alice).post(_url(world, open_round, "remind/"))
    run_worker()  # and a second reminder
    links = _tokens(mailbox)["person0@example.org"]
    assert len(links) == 3 and len(set(links)) == 3
    assert Invitation.objects.get(email="person0@example.org").reminders == 2
    # Every link the person holds still opens their survey, with the answers saved so far.
    for token in links:
        assert Client().get(f"/s/{token}/").status_code == 200
        assert Client().get(f"/s/{token}/about/").status_code == 200
        about = Client().get(f"/s/{token}/about/").content.decode()
        assert 'value="manager" checked' in about
    assert Draft.objects.filter(round=open_round).count() == 1
    # Only hashes are stored, one per link; none of the tokens is in the database.
    assert set(InvitationToken.objects.values_list("token_hash", flat=True)) >= {
        token_hash(t) for t in links
    }
    # Closing erases them all, and every link then says the survey has closed.
    services.close_round(open_round)
    run_worker()
    assert not InvitationToken.objects.exists()
    assert ClosedLink.objects.filter(token_hash__in=[token_hash(t) for t in links]).count() == 3
    for token in links:
        assert "closed" in Client().get(f"/s/{token}/").content.decode().lower()


def test_sending_state_per_person_never_says_who_has_finished(
    world, open_round, mailbox, settings
) -> None:
    # Two people invited and e-mailed; one finishes; the reminder to the other fails.
    _invite(world, open_round, PEOPLE[:2])
    run_worker()
    tokens = _tokens(mailbox)
    Invitation.objects.filter(email="person0@example.org").update(done=True)
    assert tokens["person1@example.org"]
    with mail_server_stopped(settings):
        world.client(world.alice).post(_url(world, open_round, "remind/"))
        run_worker()
    # A partner lead and the facilitator search the people list: both rows read the same.
    for user in (world.alice, world.bob):
        page = world.client(user).get(_url(world, open_round), {"q": "person"}).content.decode()
        rows = re.findall(r"<tr class=\"govuk-table__row\"><td[^>]*>(person\d@example.org)</td>"
                          r"<td[^>]*>[^<]*</td><td[^>]*>([^<]*)</td>", page)  # fmt: skip
        assert Counter(status for _, status in rows) == Counter({"Sent": 2}), rows


def test_the_task_rows_hold_ids_only_never_a_link_or_an_address(world, open_round, mailbox) -> None:
    from django_tasks_db.models import DBTaskResult

    _invite(world, open_round, PEOPLE[:2])
    run_worker()
    [[token0], [token1]] = _tokens(mailbox).values()
    stored = str(list(DBTaskResult.objects.values()))
    for secret in (token0, token1, "person0@example.org", "person1@example.org"):
        assert secret not in stored
