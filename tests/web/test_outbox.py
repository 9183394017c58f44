"""The outbox: with no mail server, e-mails are kept for the partnership's facilitators.

With EMAIL_HOST set (the `mailbox` fixture: a real SMTP server) there is no
outbox at all, and e-mails go by SMTP.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.outbox.models import OutboxMessage
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys import services

LINK = re.compile(r'<a href="(http://[^"]+/s/([A-Za-z0-9_-]{43})/)"')


@pytest.fixture
def no_mail_server(settings: Any) -> None:
    """The site as configured without EMAIL_HOST (pytest-django would use its memory backend)."""
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = settings.OUTBOX_BACKEND


def _invite(world: Any, survey_round: Any, people: str) -> Any:
    url = f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/invite/"
    return world.client(world.alice).post(url, {"people": people}, follow=True)


def _outbox(world: Any, partnership: Any = None) -> str:
    return reverse("outbox:partnership", args=[(partnership or world.partnership).pk])


def test_invitations_made_in_the_app_are_in_the_outbox_with_a_link_that_opens_the_survey(
    world: Any, open_round: Any, no_mail_server: None
) -> None:
    done = _invite(world, open_round, "sam@example.org, Northshire County Council")
    assert "the emails are in the partnership’s outbox" in done.content.decode()

    overview = world.client(world.alice).get(f"/partnerships/{world.partnership.pk}/")
    assert _outbox(world) in overview.content.decode()
    page = world.client(world.alice).get(_outbox(world)).content.decode()
    assert "Nothing is sent for real" in page
    assert "sam@example.org" in page
    assert "Northshire: your partnership survey" in page
    url, _token = LINK.search(page).groups()  # a clickable link
    survey = Client().get(html.unescape(url).removeprefix("http://localhost:8000"))
    assert survey.status_code == 200
    assert "Northshire County Council" in survey.content.decode()


def test_reminders_and_new_members_emails_are_in_the_outbox_too(
    world: Any, open_round: Any, no_mail_server: None
) -> None:
    services.add_invitations(open_round, [("kim@example.org", world.org("Northshire Police"))])
    alice = world.client(world.alice)
    alice.post(f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/remind/")
    alice.post(
        reverse("partnerships:add-person", args=[world.partnership.pk]),
        {"email": "erin@example.org", "name": "Erin", "role": "viewer"},
    )
    subjects = set(
        OutboxMessage.objects.filter(partnership=world.partnership).values_list(
            "subject", flat=True
        )
    )
    assert "Reminder: Northshire partnership survey" in subjects
    assert "You have been added to Northshire on Joined Up" in subjects


def test_another_partnerships_facilitator_cannot_read_the_outbox(
    world: Any, open_round: Any, no_mail_server: None
) -> None:
    _invite(world, open_round, "sam@example.org, Northshire County Council")
    # Dave runs Southvale: Northshire's outbox does not exist for him.
    assert world.client(world.dave).get(_outbox(world)).status_code == 404
    # His own outbox does not show Northshire's e-mails.
    own = world.client(world.dave).get(_outbox(world, world.other)).content.decode()
    assert "sam@example.org" not in own and "/s/" not in own
    # Northshire's partner lead and viewer may not read it either.
    assert world.client(world.bob).get(_outbox(world)).status_code == 403
    assert world.client(world.carol).get(_outbox(world)).status_code == 403


def test_a_password_link_for_someone_in_another_partnership_is_not_in_its_outbox(
    world: Any, no_mail_server: None
) -> None:
    # Erin was added to Northshire and has not chosen a password yet.
    erin = User.objects.create_user("erin@example.org", None)
    Membership.objects.create(partnership=world.partnership, user=erin, role=Role.VIEWER)
    # The attack: Dave adds her to Southvale, asks for a new "choose your password"
    # link for her, then reads Southvale's outbox to become her in Northshire.
    dave = world.client(world.dave)
    dave.post(
        reverse("partnerships:add-person", args=[world.other.pk]),
        {"email": "erin@example.org", "name": "", "role": "viewer"},
    )
    southvale = Membership.objects.get(partnership=world.other, user=erin)
    dave.post(reverse("partnerships:send-link", args=[world.other.pk, southvale.pk]))
    page = dave.get(_outbox(world, world.other)).content.decode()
    assert "erin@example.org" in page  # the harmless "you have been added" e-mail
    assert "/password-reset/" not in page
    # The link is kept for the site's operators only.
    kept = OutboxMessage.objects.get(to="erin@example.org", body__contains="/password-reset/")
    assert kept.partnership is None


def test_a_new_persons_password_link_is_in_their_one_partnerships_outbox(
    world: Any, no_mail_server: None
) -> None:
    world.client(world.alice).post(
        reverse("partnerships:add-person", args=[world.partnership.pk]),
        {"email": "erin@example.org", "name": "Erin", "role": "viewer"},
    )
    page = world.client(world.alice).get(_outbox(world)).content.decode()
    assert "/password-reset/" in page  # the facilitator passes it on by hand


def test_password_resets_are_for_site_operators_only(world: Any, no_mail_server: None) -> None:
    Client().post("/password-reset/", {"email": "alice@example.org"})
    assert "/password-reset/" in OutboxMessage.objects.get(partnership=None).body
    # Nobody in a partnership sees it; a facilitator's site outbox is not found.
    page = world.client(world.alice).get(_outbox(world)).content.decode()
    assert "/password-reset/" not in page
    assert world.client(world.alice).get(reverse("outbox:site")).status_code == 404
    operator = User.objects.create_superuser("ops@example.org", "an operator passphrase")
    site_page = world.client(operator).get(reverse("outbox:site")).content.decode()
    assert "alice@example.org" in site_page and "/password-reset/" in site_page


def test_with_a_mail_server_invitations_go_by_smtp_and_there_is_no_outbox(
    world: Any, open_round: Any, mailbox: Any
) -> None:
    _invite(world, open_round, "sam@example.org, Northshire County Council")
    assert [m["To"] for m in mailbox.wait_for(1)] == ["sam@example.org"]
    assert not OutboxMessage.objects.exists()
    assert world.client(world.alice).get(_outbox(world)).status_code == 404
    overview = world.client(world.alice).get(f"/partnerships/{world.partnership.pk}/")
    assert _outbox(world) not in overview.content.decode()


def test_overdue_action_reminders_are_in_the_outbox_with_their_link(
    world: Any, no_mail_server: None
) -> None:
    import datetime

    from django.core.management import call_command

    from joinedup.actions import services as actions

    action = actions.create_action(
        world.partnership,
        area="commitment",
        title="Second two analysts",
        owner=world.org("Northshire Police"),
        due_date=actions.today() - datetime.timedelta(days=2),
    )
    call_command("remind_overdue", stdout=None)
    page = world.client(world.alice).get(_outbox(world)).content.decode()
    assert "overdue action “Second two analysts”" in page
    assert (
        f'href="http://localhost:8000/partnerships/{world.partnership.pk}/plan/{action.pk}/"'
        in page
    )
    assert "bob@example.org" in page


def test_the_privacy_page_warns_respondents_only_when_there_is_an_outbox(
    world: Any, settings: Any
) -> None:
    warning = "It has no mail server, so its emails, with their survey links, are kept"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert warning not in Client().get("/privacy/").content.decode()
    settings.EMAIL_BACKEND = settings.OUTBOX_BACKEND
    assert warning in Client().get("/privacy/").content.decode()
