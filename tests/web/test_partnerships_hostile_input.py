"""Partnership pages meeting bad or hostile input: plain errors, no traceback, no half change."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.partnerships.forms import OrganisationImportForm
from joinedup.partnerships.models import Membership


def page(name: str, world: Any, *args: int) -> str:
    return reverse(name, args=[world.partnership.pk, *args])


def names(world: Any) -> list[str]:
    return sorted(world.partnership.organisations.values_list("name", flat=True))


@pytest.mark.parametrize(
    "name", ["partnerships:overview", "partnerships:organisations", "surveys:new-round"]
)
def test_a_partnership_id_too_large_for_the_database_is_simply_not_found(
    world: Any, name: str
) -> None:
    client = world.client(world.alice)
    client.raise_request_exception = False
    assert client.get(reverse(name, args=[10**30])).status_code == 404


def test_a_line_break_in_a_partnership_name_cannot_stop_its_emails(world: Any, mailbox: Any):
    alice = world.client(world.alice)
    response = alice.post(
        page("partnerships:edit", world), {"name": "Northshire\r\nBcc: x@example.org"}
    )
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.name == "Northshire Bcc: x@example.org"

    added = alice.post(
        page("partnerships:add-person", world), {"email": "erin@example.org", "role": "viewer"}
    )
    assert added.status_code == 302
    [message] = mailbox.wait_for(1)
    assert message["Subject"] == (
        "You have been added to Northshire Bcc: x@example.org on Joined Up"
    )
    assert message["Bcc"] is None


def test_a_new_partnership_name_is_kept_on_one_line(world: Any) -> None:
    User.objects.filter(pk=world.alice.pk).update(can_create_partnerships=True)
    world.client(world.alice).post(
        reverse("partnerships:new"), {"name": "  East\nmoor   Together ", "description": ""}
    )
    assert Membership.objects.filter(
        user=world.alice, partnership__name="East moor Together"
    ).exists()


def test_a_null_character_in_an_imported_name_is_reported_and_nothing_is_stored(
    world: Any,
) -> None:
    content = b"organisation,sector\nEastmoor College,education\nEast\x00moor Fire,fire\n"
    response = world.client(world.alice).post(
        page("partnerships:import-organisations", world),
        {"upload": SimpleUploadedFile("members.csv", content, "text/csv")},
    )
    text = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "members.csv row 3, column organisation: the name contains an invisible null" in text
    assert "Eastmoor College" not in names(world)


def test_an_organisations_file_too_large_to_be_one_is_refused(world: Any, monkeypatch) -> None:
    monkeypatch.setattr(OrganisationImportForm, "MAX_BYTES", 40)
    content = b"organisation,sector\n" + b"Eastmoor College,education\n" * 3
    response = world.client(world.alice).post(
        page("partnerships:import-organisations", world),
        {"upload": SimpleUploadedFile("members.csv", content, "text/csv")},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_upload">The file must be smaller than' in text
    assert len(names(world)) == 4


def test_problems_in_an_imported_file_are_tied_to_the_upload_field(world: Any) -> None:
    response = world.client(world.alice).post(
        page("partnerships:import-organisations", world),
        {"upload": SimpleUploadedFile("members.csv", b"organisation\nX\n", "text/csv")},
    )
    text = response.content.decode()
    assert 'id="id_upload-error"' in text
    assert 'aria-describedby="id_upload-hint id_upload-error"' in text


def test_an_email_address_too_long_to_store_is_refused_in_plain_words(world: Any) -> None:
    address = "a" * 250 + "@example.org"
    response = world.client(world.alice).post(
        page("partnerships:add-person", world), {"email": address, "role": "viewer"}
    )
    text = response.content.decode()
    assert 'href="#id_email">The email address must be 254 characters or fewer' in text
    assert not Membership.objects.filter(user__email=address).exists()


def test_the_overview_summarises_every_threshold_with_the_settings_words(world: Any) -> None:
    world.partnership.min_tie_raters = 4
    world.partnership.min_text_group_size = 12
    world.partnership.save()
    text = world.client(world.alice).get(page("partnerships:overview", world)).content.decode()
    assert "Smallest group shown on its own</dt>" in text
    assert "5 people. Organisations with fewer respondents are combined" in text
    assert "People needed to show one organisation’s view of another</dt>" in text
    assert ">4 people of an organisation shown on its own.</dd>" in text
    assert "12 people, and only for the whole partnership." in text
    assert 'Change<span class="govuk-visually-hidden"> people needed to show written' in text


def test_the_only_facilitator_is_told_they_cannot_leave(world: Any) -> None:
    alice = Membership.objects.get(partnership=world.partnership, user=world.alice)
    client = world.client(world.alice)
    text = client.get(page("partnerships:remove-person", world, alice.pk)).content.decode()
    assert "You cannot remove" in text
    response = client.post(page("partnerships:remove-person", world, alice.pk))
    assert response.status_code == 409
    assert Membership.objects.filter(pk=alice.pk).exists()
