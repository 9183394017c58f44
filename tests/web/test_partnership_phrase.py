"""A partnership whose name ends in "Partnership" is not called "... Partnership partnership"."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from joinedup.partnerships.models import Partnership
from joinedup.surveys import services

LINK = re.compile(r"http://[^\s]+(/s/[A-Za-z0-9_-]{43}/)")


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Northshire", "Northshire partnership"),
        ("Eastmoor Health Partnership", "Eastmoor Health Partnership"),
        ("eastmoor health PARTNERSHIP ", "eastmoor health PARTNERSHIP"),
        ("Partnerships for Eastmoor", "Partnerships for Eastmoor partnership"),
        ("The Copartnership", "The Copartnership partnership"),
    ],
)
def test_the_phrase_adds_partnership_only_when_the_name_lacks_it(name, phrase) -> None:
    assert Partnership(name=name).phrase == phrase


def test_the_invitation_and_survey_heading_say_partnership_once(world, open_round, mailbox):
    Partnership.objects.filter(pk=world.partnership.pk).update(
        name="Northshire Community Partnership"
    )
    open_round.refresh_from_db()
    services.add_invitations(open_round, [("sam@example.org", world.org("Northshire Police"))])
    services.remind(open_round)
    invitation, reminder = mailbox.wait_for(2)
    for message in (invitation, reminder):
        text = f"{message['Subject']} {mailbox.body(message)}"
        assert "Partnership partnership" not in text.replace("\n", " ")
        assert "Northshire Community Partnership" in text
    assert reminder["Subject"] == "Reminder: Northshire Community Partnership survey"
    page = Client().get(LINK.search(mailbox.body(invitation)).group(1)).content.decode()
    assert "Northshire Community Partnership survey</h1>" in page
    assert "Partnership partnership" not in page
