"""People in a partnership: the list, adding someone by email, changing roles, removing.

A person without an account gets one with no password and an email with a
link to choose one; the link really arrives (at the loopback SMTP server) and
really works.
"""

from __future__ import annotations

import re
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.partnerships.models import ROLE_HINTS, Membership, Role

from .conftest import PASSWORD


def page(name: str, world: Any, *args: int) -> str:
    return reverse(name, args=[world.partnership.pk, *args])


def membership(world: Any, user: User) -> Membership:
    return Membership.objects.get(partnership=world.partnership, user=user)


def roles(world: Any) -> dict[str, tuple[str, str | None]]:
    return {
        m.user.email: (m.role, m.organisation.name if m.organisation else None)
        for m in Membership.objects.filter(partnership=world.partnership).select_related(
            "user", "organisation"
        )
    }


def closed_port() -> int:
    """A loopback port that nothing listens on: sending e-mail there fails."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def link_in(body: str) -> str:
    match = re.search(r"https?://\S+/password-reset/\S+/\S+/", body)
    assert match, body
    return match.group(0)


# ---------------------------------------------------------------- list


def test_the_facilitator_sees_everyone_with_their_role(world: Any) -> None:
    text = world.client(world.alice).get(page("partnerships:people", world)).content.decode()
    for expected in (
        "Alice Adams",
        "alice@example.org",
        "Bob Brown",
        "Partner lead",
        "Northshire Police",
        "Carol Clark",
        "Viewer",
    ):
        assert expected in text
    assert "Dave Davies" not in text
    assert f'href="{page("partnerships:add-person", world)}"' in text


# ----------------------------------------------------------------- add


def test_the_add_page_explains_each_role(world: Any) -> None:
    text = world.client(world.alice).get(page("partnerships:add-person", world)).content.decode()
    for role in Role:
        assert f'type="radio" value="{role.value}"' in text
        assert str(ROLE_HINTS[role]).replace("'", "&#x27;") in text


def test_a_new_person_gets_an_account_and_an_email_with_a_link_that_sets_their_password(
    world: Any, mailbox: Any
) -> None:
    response = world.client(world.alice).post(
        page("partnerships:add-person", world),
        {"email": " Erin.Evans@Example.org ", "name": "Erin Evans", "role": "viewer"},
    )
    assert response.status_code == 302
    erin = User.objects.get(email="erin.evans@example.org")
    assert erin.name == "Erin Evans"
    assert not erin.has_usable_password()
    assert roles(world)["erin.evans@example.org"] == ("viewer", None)

    (message,) = mailbox.wait_for(1)
    assert message["To"] == "erin.evans@example.org"
    assert "Northshire" in message["Subject"]
    body = mailbox.body(message)
    assert "Alice Adams has added you to the Northshire partnership" in body
    assert "as a viewer" in body

    # Follow the link, choose a password, sign in with it.
    visitor = Client()
    link = urlsplit(link_in(body)).path
    choose = visitor.get(link, follow=True)
    assert choose.status_code == 200
    assert "Choose a new password" in choose.content.decode()
    new_password = "a long and unusual passphrase 42"
    saved = visitor.post(
        choose.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("accounts:password-reset-complete")

    browser = Client()
    signed_in = browser.post(
        "/sign-in/", {"email": "erin.evans@example.org", "password": new_password}
    )
    assert signed_in.status_code == 302
    assert browser.get(page("partnerships:overview", world)).status_code == 200
    # The link works once.
    assert "This link has expired" in Client().get(link, follow=True).content.decode()


def test_someone_with_an_account_is_added_and_told_by_email(world: Any, mailbox: Any) -> None:
    alice = world.client(world.alice)
    response = alice.post(
        page("partnerships:add-person", world),
        {
            "email": "DAVE@example.org",
            "role": "partner_lead",
            "organisation": world.org("Age Well Northshire").pk,
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="dave@example.org").count() == 1
    assert roles(world)["dave@example.org"] == ("partner_lead", "Age Well Northshire")
    assert world.dave.__class__.objects.get(pk=world.dave.pk).check_password(PASSWORD)
    (message,) = mailbox.wait_for(1)
    body = mailbox.body(message)
    assert "as a partner lead for Age Well Northshire" in body
    assert "/sign-in/" in body
    assert "/password-reset/" not in body
    assert world.client(world.dave).get(page("partnerships:overview", world)).status_code == 200
    # The page says the same thing whether or not they had an account.
    notice = alice.get(response["Location"]).content.decode()
    assert "dave@example.org is now a partner lead for Age Well Northshire" in notice
    assert "We have emailed them to say so." in notice


def test_a_partner_lead_needs_an_organisation(world: Any, mailbox: Any) -> None:
    response = world.client(world.alice).post(
        page("partnerships:add-person", world),
        {"email": "erin@example.org", "role": "partner_lead"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_organisation">Select the organisation this partner lead manages' in text
    assert not User.objects.filter(email="erin@example.org").exists()
    assert mailbox.messages == []


def test_an_organisation_has_one_partner_lead(world: Any) -> None:
    response = world.client(world.alice).post(
        page("partnerships:add-person", world),
        {
            "email": "erin@example.org",
            "role": "partner_lead",
            "organisation": world.org("Northshire Police").pk,
        },
    )
    assert "Northshire Police already has a partner lead, Bob Brown" in response.content.decode()
    assert "erin@example.org" not in roles(world)


def test_an_organisation_chosen_for_a_viewer_is_not_kept(world: Any, mailbox: Any) -> None:
    world.client(world.alice).post(
        page("partnerships:add-person", world),
        {
            "email": "erin@example.org",
            "role": "viewer",
            "organisation": world.org("Northshire Police").pk,
        },
    )
    assert roles(world)["erin@example.org"] == ("viewer", None)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "role": "viewer"}, "email", "Enter the person’s email address"),
        (
            {"email": "not an address", "role": "viewer"},
            "email",
            "Enter an email address in the correct format",
        ),
        ({"email": "erin@example.org"}, "role_0", "Select the person’s role"),
        (
            {"email": "Carol@Example.org", "role": "viewer"},
            "email",
            "carol@example.org is already a member",
        ),
    ],
)
def test_a_wrong_person_is_refused_with_a_message(
    world: Any, mailbox: Any, data: dict[str, str], field: str, message: str
) -> None:
    before = roles(world)
    response = world.client(world.alice).post(page("partnerships:add-person", world), data)
    assert f'href="#id_{field}">{message}' in response.content.decode()
    assert roles(world) == before
    assert mailbox.messages == []


def test_if_the_email_cannot_be_sent_the_person_is_added_and_a_new_link_can_be_sent(
    world: Any, settings: Any, mailbox: Any
) -> None:
    alice = world.client(world.alice)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    response = alice.post(
        page("partnerships:add-person", world), {"email": "erin@example.org", "role": "viewer"}
    )
    notice = alice.get(response["Location"]).content.decode()
    assert "the email to tell them could not be sent" in notice
    erin = User.objects.get(email="erin@example.org")
    assert "Not signed in yet" in notice
    send_link = page("partnerships:send-link", world, membership(world, erin).pk)
    assert f'action="{send_link}"' in notice

    settings.EMAIL_PORT = working_port
    response = alice.post(send_link)
    assert response.status_code == 302
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "erin@example.org"
    assert "/password-reset/" in mailbox.body(message)


def test_no_new_link_for_someone_who_has_chosen_a_password(world: Any, mailbox: Any) -> None:
    alice = world.client(world.alice)
    response = alice.post(page("partnerships:send-link", world, membership(world, world.carol).pk))
    assert (
        "Carol Clark has already chosen a password"
        in alice.get(response["Location"]).content.decode()
    )
    assert mailbox.messages == []


def test_sending_a_link_needs_a_post(world: Any) -> None:
    link = page("partnerships:send-link", world, membership(world, world.carol).pk)
    assert world.client(world.alice).get(link).status_code == 405


# --------------------------------------------------------- change role


def test_the_facilitator_makes_a_viewer_a_partner_lead(world: Any) -> None:
    carol = membership(world, world.carol)
    alice = world.client(world.alice)
    form = alice.get(page("partnerships:change-role", world, carol.pk)).content.decode()
    assert 'value="viewer" checked' in form
    response = alice.post(
        page("partnerships:change-role", world, carol.pk),
        {"role": "partner_lead", "organisation": world.org("Age Well Northshire").pk},
    )
    assert response.status_code == 302
    assert roles(world)["carol@example.org"] == ("partner_lead", "Age Well Northshire")


def test_a_partner_lead_made_a_viewer_loses_their_organisation(world: Any) -> None:
    bob = membership(world, world.bob)
    world.client(world.alice).post(
        page("partnerships:change-role", world, bob.pk), {"role": "viewer"}
    )
    assert roles(world)["bob@example.org"] == ("viewer", None)


def test_the_last_facilitator_cannot_give_up_the_role(world: Any) -> None:
    alice = membership(world, world.alice)
    response = world.client(world.alice).post(
        page("partnerships:change-role", world, alice.pk), {"role": "viewer"}
    )
    assert "Alice Adams is the only facilitator" in response.content.decode()
    assert roles(world)["alice@example.org"] == ("facilitator", None)


# -------------------------------------------------------------- remove


def test_the_facilitator_removes_a_member_who_then_cannot_see_the_partnership(world: Any) -> None:
    carol = membership(world, world.carol)
    alice = world.client(world.alice)
    confirm = alice.get(page("partnerships:remove-person", world, carol.pk)).content.decode()
    assert "Remove Carol Clark?" in confirm
    response = alice.post(page("partnerships:remove-person", world, carol.pk))
    assert response.status_code == 302
    assert "carol@example.org" not in roles(world)
    assert User.objects.filter(email="carol@example.org").exists()  # the account stays
    assert world.client(world.carol).get(page("partnerships:overview", world)).status_code == 404


def test_removing_the_last_facilitator_is_refused(world: Any) -> None:
    alice = membership(world, world.alice)
    client = world.client(world.alice)
    confirm = client.get(page("partnerships:remove-person", world, alice.pk)).content.decode()
    assert "You cannot remove Alice Adams" in confirm
    assert "a partnership needs one to run it" in confirm
    response = client.post(page("partnerships:remove-person", world, alice.pk))
    assert response.status_code == 409
    assert "Alice Adams is the only facilitator and cannot be removed" in response.content.decode()
    assert roles(world)["alice@example.org"] == ("facilitator", None)


def test_a_facilitator_may_leave_when_another_remains(world: Any) -> None:
    carol = membership(world, world.carol)
    carol.role = Role.FACILITATOR
    carol.save()
    alice = membership(world, world.alice)
    client = world.client(world.alice)
    response = client.post(page("partnerships:remove-person", world, alice.pk))
    assert response["Location"] == reverse("partnerships:list")
    assert "alice@example.org" not in roles(world)
    assert client.get(page("partnerships:overview", world)).status_code == 404
