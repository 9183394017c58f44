"""E-mail subjects built from names people type stay on one line, so mail is sent."""

from __future__ import annotations

import datetime
from email.header import decode_header, make_header

from joinedup.actions import services as actions
from joinedup.actions.reminders import remind_overdue


def test_an_overdue_action_titled_over_two_lines_is_still_reminded(world, mailbox) -> None:
    due = datetime.date(2027, 1, 1)
    actions.create_action(
        world.partnership,
        area="relationships",
        title="Meet the police\r\nBcc: everyone@example.org",
        owner=world.org("Northshire Police"),
        due_date=due,
    )
    remind_overdue(due + datetime.timedelta(days=1))
    received = mailbox.wait_for(1)
    assert len(received) == 1
    assert received[0]["Bcc"] is None
    subject = str(make_header(decode_header(received[0]["Subject"])))
    assert "Meet the police Bcc: everyone@example.org" in subject
