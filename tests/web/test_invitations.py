"""Inviting people: private links by e-mail (to a real SMTP server), reminders, counts."""

from __future__ import annotations

import re

from django.test import Client

from joinedup.partnerships.services import remove_organisation
from joinedup.surveys import channels, services
from joinedup.surveys.models import Invitation
from joinedup.surveys.tokens import token_hash

from .survey_steps import answer_everything, start, submit

LINK = re.compile(r"http://[^\s]+/s/([A-Za-z0-9_-]{43})/")


def _invite(world, survey_round, people: str):
    url = f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/invite/"
    return world.client(world.alice).post(url, {"people": people})


def test_each_person_invited_to_an_open_round_gets_their_own_private_link(
    world, open_round, mailbox
) -> None:
    response = _invite(
        world,
        open_round,
        "sam@example.org, Northshire County Council\nkim@example.org,  northshire police ",
    )
    assert response.status_code == 302
    messages = mailbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["kim@example.org", "sam@example.org"]
    tokens = {m["To"]: LINK.search(mailbox.body(m)).group(1) for m in messages}
    assert len(set(tokens.values())) == 2
    for email, token in tokens.items():
        invitation = Invitation.objects.get(email=email)
        assert invitation.token_hash == token_hash(token)  # only the hash is stored
        assert token not in str(Invitation.objects.filter(email=email).values().get())
        assert invitation.sent_at is not None
    assert Invitation.objects.get(email="kim@example.org").organisation.name == "Northshire Police"
    body = mailbox.body(mailbox.to("sam@example.org")[0])
    assert "Northshire" in body and "anonymous" in body


def test_the_link_in_the_email_opens_the_survey(world, open_round, mailbox) -> None:
    _invite(world, open_round, "sam@example.org, Northshire County Council")
    token = LINK.search(mailbox.body(mailbox.wait_for(1)[0])).group(1)
    page = Client().get(f"/s/{token}/")
    assert page.status_code == 200
    assert "Northshire County Council" in page.content.decode()


def test_pasted_lines_with_problems_are_all_reported_and_nobody_is_invited(
    world, open_round, mailbox
) -> None:
    page = _invite(
        world,
        open_round,
        "not-an-email, Northshire Police\nok@example.org, Nowhere Council\ngood@example.org, "
        "Northshire Police",
    ).content.decode()
    assert "Line 1: “not-an-email” is not an email address" in page
    assert "Line 2: “Nowhere Council” is not one of this partnership" in page
    assert not Invitation.objects.exists()
    assert mailbox.messages == []


def test_people_can_be_invited_from_an_uploaded_csv(world, open_round, mailbox) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "people.csv",
        "\ufeffEmail,Organisation\na@example.org,Age Well Northshire\n".encode(),
        content_type="text/csv",
    )
    url = f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/invite/"
    world.client(world.alice).post(url, {"people": "", "upload": upload})
    assert Invitation.objects.get().email == "a@example.org"
    assert len(mailbox.wait_for(1)) == 1


def test_someone_already_invited_is_not_invited_twice(world, open_round, mailbox) -> None:
    _invite(world, open_round, "sam@example.org, Northshire County Council")
    _invite(world, open_round, "SAM@example.org, Northshire County Council")
    assert Invitation.objects.count() == 1
    assert len(mailbox.wait_for(1)) == 1


def test_invitations_added_to_a_draft_round_are_sent_when_it_opens(world, mailbox) -> None:
    survey_round = services.create_round(world.partnership, "Autumn 2027")
    _invite(world, survey_round, "sam@example.org, Northshire County Council")
    assert mailbox.messages == []
    world.client(world.alice).post(
        f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/open/"
    )
    token = LINK.search(mailbox.body(mailbox.wait_for(1)[0])).group(1)
    assert Invitation.objects.get().token_hash == token_hash(token)


def test_reminders_go_only_to_people_who_have_not_finished(world, open_round, mailbox) -> None:
    _invite(
        world,
        open_round,
        "done@example.org, Northshire Police\nlate@example.org, Northshire Police\n"
        "started@example.org, Age Well Northshire",
    )
    first = {m["To"]: LINK.search(mailbox.body(m)).group(1) for m in mailbox.wait_for(3)}
    finisher = Client()
    answer_everything(finisher, start(finisher, first["done@example.org"]))
    submit(finisher, first["done@example.org"])
    starter = Client()
    start(starter, first["started@example.org"])
    starter.post(f"/s/{first['started@example.org']}/about/", {"role": "manager"})

    world.client(world.alice).post(
        f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/remind/"
    )
    reminders = mailbox.wait_for(5)[3:]
    assert sorted(m["To"] for m in reminders) == ["late@example.org", "started@example.org"]
    assert all(m["Subject"].startswith("Reminder") for m in reminders)
    to_starter = next(m for m in reminders if m["To"] == "started@example.org")
    new_token = LINK.search(mailbox.body(to_starter)).group(1)
    # The reminder's fresh link resumes the saved answers; the first link still works.
    resumed = Client().get(f"/s/{new_token}/about/").content.decode()
    assert 'value="manager" checked' in resumed
    assert Client().get(f"/s/{first['started@example.org']}/about/").status_code == 200


def test_a_partner_lead_reminds_only_their_own_organisation(world, open_round, mailbox) -> None:
    _invite(world, open_round, "cop@example.org, Northshire Police\nnurse@example.org, "
            "Northshire NHS Foundation Trust")  # fmt: skip
    mailbox.wait_for(2)
    world.client(world.bob).post(
        f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/remind/"
    )
    reminders = mailbox.wait_for(3)[2:]
    assert [m["To"] for m in reminders] == ["cop@example.org"]


def test_completion_counts_by_organisation(world, open_round, mailbox) -> None:
    _invite(world, open_round, "a@example.org, Northshire Police\nb@example.org, Northshire Police")
    token = LINK.search(mailbox.body(mailbox.wait_for(2)[0])).group(1)
    person = Client()
    answer_everything(person, start(person, token))
    submit(person, token)
    rows = {r.organisation.name: r for r in channels.progress_by_organisation(open_round)}
    police = rows["Northshire Police"]
    assert (police.invited, police.through_invitations, police.responses) == (2, 1, 1)
    assert police.channels == ["Private invitations"]
    assert rows["Age Well Northshire"].channels == []
    page = world.client(world.alice).get(
        f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/"
    )
    assert "Answers by organisation" in page.content.decode()


def test_an_open_link_is_shown_once_and_a_new_one_replaces_it(world, open_round) -> None:
    url = f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/open-links/"
    alice = world.client(world.alice)
    police = world.org("Northshire Police")
    first = re.search(
        r"/o/([A-Za-z0-9_-]{43})/", alice.post(url, {"organisation": police.pk}).content.decode()
    ).group(1)
    assert Client().get(f"/o/{first}/").status_code == 200
    alice.post(url, {"organisation": police.pk})
    assert Client().get(f"/o/{first}/").status_code == 404
    assert first not in alice.get(url).content.decode()


def test_an_organisation_removed_while_the_form_was_checked_is_said_on_the_page(
    world, open_round, mailbox, monkeypatch
) -> None:
    """Another facilitator removes it between the form's check and the invitations: a message
    on the form, nobody invited, never a server error."""
    add_invitations = services.add_invitations

    def removed_first(survey_round, people, *args, **kwargs):
        remove_organisation(people[0][1])  # nothing refers to it yet
        return add_invitations(survey_round, people, *args, **kwargs)

    monkeypatch.setattr(services, "add_invitations", removed_first)
    response = _invite(world, open_round, "sam@example.org, Age Well Northshire")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Age Well Northshire was removed from the partnership meanwhile" in page
    assert "govuk-error-summary" in page
    assert not Invitation.objects.exists()
    assert mailbox.messages == []
