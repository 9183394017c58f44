"""Overdue actions e-mail their owners (to a real SMTP server), at most once a day per action."""

from __future__ import annotations

import datetime
from email.header import decode_header, make_header
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from joinedup.actions import services
from joinedup.actions.models import Action, Status
from joinedup.actions.reminders import remind_overdue
from joinedup.partnerships.models import Membership, Role

from ..conftest import free_port


def _overdue(world: Any, title: str, owner: str | None, days: int = 2, **fields: Any) -> Action:
    return services.create_action(
        world.partnership,
        area="commitment",
        title=title,
        owner=world.org(owner) if owner else None,
        due_date=services.today() - datetime.timedelta(days=days),
        **fields,
    )


def _subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"]))).strip()


def _run() -> str:
    out = StringIO()
    call_command("remind_overdue", stdout=out)
    return out.getvalue()


def test_the_partner_lead_of_the_owner_organisation_is_reminded(world: Any, mailbox: Any) -> None:
    action = _overdue(world, "Second two analysts", "Northshire Police", lead="Supt Kay Marsh")
    output = _run()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "bob@example.org"
    assert _subject(message) == "Northshire: overdue action “Second two analysts”"
    body = mailbox.body(message)
    assert "Second two analysts" in body and "2 days ago" in body and "Supt Kay Marsh" in body
    assert f"/partnerships/{world.partnership.pk}/plan/{action.pk}/" in body
    assert "Reminded owners about 1 overdue action in 1 e-mail." in output
    action.refresh_from_db()
    assert action.reminded_on == services.today()


def test_facilitators_are_reminded_when_no_partner_lead_owns_the_action(
    world: Any, mailbox: Any
) -> None:
    Membership.objects.create(partnership=world.partnership, user=world.dave, role=Role.FACILITATOR)
    _overdue(world, "A plan for the place", None)
    _overdue(world, "Volunteer scheme", "Age Well Northshire")  # it has no partner lead
    _run()
    messages = mailbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["alice@example.org", "dave@example.org"]
    # One e-mail each, listing both actions.
    for message in messages:
        assert _subject(message) == "Northshire: 2 overdue actions in the plan"
        body = mailbox.body(message)
        assert "A plan for the place" in body and "Volunteer scheme" in body


def test_done_and_not_yet_due_actions_are_not_reminded_about(world: Any, mailbox: Any) -> None:
    _overdue(world, "Done already", "Northshire Police", status=Status.DONE)
    _overdue(world, "Due today", "Northshire Police", days=0)
    _overdue(world, "Stalled and late", "Northshire Police", status=Status.STALLED)
    _run()
    [message] = mailbox.wait_for(1)
    body = mailbox.body(message)
    assert "Stalled and late" in body
    assert "Done already" not in body and "Due today" not in body


def test_a_reminder_is_sent_once_a_day_however_often_the_command_runs(
    world: Any, mailbox: Any
) -> None:
    _overdue(world, "Second two analysts", "Northshire Police")
    _run()
    assert len(mailbox.wait_for(1)) == 1
    output = _run()
    assert "Reminded owners about 0 overdue actions in 0 e-mails." in output
    assert len(mailbox.wait_for(2, timeout=0.5)) == 1
    # The next day it is still overdue, so it is reminded about again.
    tomorrow = services.today() + datetime.timedelta(days=1)
    run = remind_overdue(tomorrow)
    assert (run.actions, run.sent) == (1, 1)
    assert len(mailbox.wait_for(2)) == 2


def test_when_the_mail_server_is_down_the_next_run_tries_again(
    world: Any, mailbox: Any, settings: Any
) -> None:
    action = _overdue(world, "Second two analysts", "Northshire Police")
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with pytest.raises(CommandError, match="1 e-mail could not be sent"):
        _run()
    action.refresh_from_db()
    assert action.reminded_on is None
    settings.EMAIL_PORT = mailbox.port
    _run()
    assert [m["To"] for m in mailbox.wait_for(1)] == ["bob@example.org"]


def test_the_command_runs_through_the_joinedup_command_line(world: Any, mailbox: Any) -> None:
    from joinedup.cli import main

    _overdue(world, "Second two analysts", "Northshire Police")
    assert main(["manage", "remind_overdue"]) in (0, None)
    assert [m["To"] for m in mailbox.wait_for(1)] == ["bob@example.org"]
