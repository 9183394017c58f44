"""A partnership's member organisations: listing, adding, changing, removing, importing."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from joinedup.partnerships.models import SECTOR_CHOICES, Organisation
from joinedup.surveys import services as surveys
from joinedup.surveys.models import Response


def page(name: str, world: Any, *args: int) -> str:
    return reverse(name, args=[world.partnership.pk, *args])


def names(world: Any) -> list[str]:
    return sorted(world.partnership.organisations.values_list("name", flat=True))


def upload(content: str, filename: str = "organisations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, content.encode("utf-8"), "text/csv")


# ---------------------------------------------------------------- list


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_every_member_sees_the_organisations_but_only_facilitators_change_them(
    world: Any, persona: str
) -> None:
    text = world.client(getattr(world, persona)).get(page("partnerships:organisations", world))
    text = text.content.decode()
    assert "Northshire NHS Foundation Trust" in text
    assert "Health and care" in text
    assert "Bob Brown" in text  # Northshire Police's partner lead
    assert page("partnerships:add-organisation", world) not in text
    assert page("partnerships:import-organisations", world) not in text


def test_the_facilitator_sees_links_to_add_import_change_and_remove(world: Any) -> None:
    police = world.org("Northshire Police")
    text = world.client(world.alice).get(page("partnerships:organisations", world))
    text = text.content.decode()
    for link in (
        page("partnerships:add-organisation", world),
        page("partnerships:import-organisations", world),
        page("partnerships:edit-organisation", world, police.pk),
        page("partnerships:remove-organisation", world, police.pk),
    ):
        assert f'href="{link}"' in text


# ----------------------------------------------------------------- add


def test_the_add_page_offers_every_sector_of_the_instrument_as_radios(world: Any) -> None:
    text = world.client(world.alice).get(page("partnerships:add-organisation", world))
    text = text.content.decode()
    for code, label in SECTOR_CHOICES:
        assert f'type="radio" value="{code}"' in text
        assert label in text
    assert "in %" in text  # the pressure indicators are percentages


def test_the_facilitator_adds_an_organisation_with_pressure_indicators(world: Any) -> None:
    response = world.client(world.alice).post(
        page("partnerships:add-organisation", world),
        {
            "name": " Northshire Fire and Rescue ",
            "sector": "fire",
            "budget_gap_pct": "4.5%",
            "demand_growth_pct": "-2",
            "vacancy_rate_pct": "",
        },
    )
    assert response.status_code == 302
    fire = world.partnership.organisations.get(name="Northshire Fire and Rescue")
    assert (fire.sector, fire.budget_gap_pct, fire.demand_growth_pct) == ("fire", 4.5, -2.0)
    assert fire.vacancy_rate_pct is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "sector": "fire"}, "Enter the name of the organisation"),
        ({"name": "Fire", "sector": ""}, "Select the organisation’s sector"),
        ({"name": "Fire", "sector": "space"}, "Select the organisation’s sector"),
        (
            {"name": "Fire", "sector": "fire", "budget_gap_pct": "a lot"},
            "Enter the budget gap as a number, like 4.5, or leave it blank",
        ),
        (
            {"name": " northshire POLICE ", "sector": "police"},
            "There is already an organisation called “northshire POLICE”.",
        ),
    ],
)
def test_a_wrong_organisation_is_refused_with_a_message(
    world: Any, data: dict[str, str], message: str
) -> None:
    response = world.client(world.alice).post(page("partnerships:add-organisation", world), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(names(world)) == 4


# ---------------------------------------------------------------- edit


def test_the_facilitator_changes_an_organisation(world: Any) -> None:
    age_well = world.org("Age Well Northshire")
    age_well.vacancy_rate_pct = 9.0
    age_well.save()
    alice = world.client(world.alice)
    form = alice.get(page("partnerships:edit-organisation", world, age_well.pk)).content.decode()
    assert 'value="Age Well Northshire"' in form
    assert 'value="voluntary" checked' in form
    response = alice.post(
        page("partnerships:edit-organisation", world, age_well.pk),
        {"name": "Age Well", "sector": "other", "budget_gap_pct": "3", "vacancy_rate_pct": ""},
    )
    assert response.status_code == 302
    age_well.refresh_from_db()
    assert (age_well.name, age_well.sector, age_well.budget_gap_pct) == ("Age Well", "other", 3)
    assert age_well.vacancy_rate_pct is None


def test_an_organisation_cannot_take_another_ones_name(world: Any) -> None:
    age_well = world.org("Age Well Northshire")
    response = world.client(world.alice).post(
        page("partnerships:edit-organisation", world, age_well.pk),
        {"name": "Northshire Police", "sector": "voluntary"},
    )
    assert "There is already an organisation called" in response.content.decode()
    age_well.refresh_from_db()
    assert age_well.name == "Age Well Northshire"


# -------------------------------------------------------------- remove


def test_the_facilitator_removes_an_organisation_nothing_refers_to(world: Any) -> None:
    age_well = world.org("Age Well Northshire")
    alice = world.client(world.alice)
    confirm = alice.get(page("partnerships:remove-organisation", world, age_well.pk))
    assert "Remove Age Well Northshire?" in confirm.content.decode()
    response = alice.post(page("partnerships:remove-organisation", world, age_well.pk))
    assert response.status_code == 302
    assert "Age Well Northshire" not in names(world)


def test_an_organisation_with_invitations_is_not_removed(world: Any, open_round: Any) -> None:
    age_well = world.org("Age Well Northshire")
    surveys.add_invitations(open_round, [("pat@agewell.example", age_well)])
    alice = world.client(world.alice)
    confirm = alice.get(page("partnerships:remove-organisation", world, age_well.pk)).content
    assert "You cannot remove Age Well Northshire" in confirm.decode()
    assert "Remove the organisation</button>" not in confirm.decode()
    response = alice.post(page("partnerships:remove-organisation", world, age_well.pk))
    assert response.status_code == 409
    assert "1 person has been invited to answer a survey for it" in response.content.decode()
    assert "Age Well Northshire" in names(world)


def test_an_organisation_with_responses_is_not_removed(world: Any, open_round: Any) -> None:
    age_well = world.org("Age Well Northshire")
    Response.objects.create(round=open_round, organisation=age_well, answers={})
    Response.objects.create(round=open_round, organisation=age_well, answers={})
    response = world.client(world.alice).post(
        page("partnerships:remove-organisation", world, age_well.pk)
    )
    assert response.status_code == 409
    assert "It has 2 survey responses" in response.content.decode()
    assert Response.objects.filter(organisation=age_well).count() == 2


def test_an_organisation_with_a_partner_lead_is_not_removed(world: Any) -> None:
    police = world.org("Northshire Police")
    response = world.client(world.alice).post(
        page("partnerships:remove-organisation", world, police.pk)
    )
    assert response.status_code == 409
    assert "Bob Brown is its partner lead" in response.content.decode()
    assert world.partnership.memberships.filter(user=world.bob).exists()


# -------------------------------------------------------------- import


def test_importing_adds_new_organisations_and_updates_existing_ones(world: Any) -> None:
    csv = (
        "Organisation,Sector,budget_gap_pct,demand_growth_pct\n"
        " northshire police ,Police,2.5,\n"
        "Northshire Fire and Rescue,fire,1.8,1.5%\n"
        "Eastmoor College,Schools and colleges,,\n"
    )
    police = world.org("Northshire Police")
    police.demand_growth_pct = 7.0
    police.vacancy_rate_pct = 6.0
    police.save()
    alice = world.client(world.alice)
    response = alice.post(page("partnerships:import-organisations", world), {"upload": upload(csv)})
    assert response.status_code == 302
    assert names(world) == [
        "Age Well Northshire",
        "Eastmoor College",
        "Northshire County Council",
        "Northshire Fire and Rescue",
        "Northshire NHS Foundation Trust",
        "Northshire Police",
    ]
    police.refresh_from_db()
    assert police.budget_gap_pct == 2.5
    assert police.demand_growth_pct is None  # a blank cell clears the indicator
    assert police.vacancy_rate_pct == 6.0  # a column the file lacks leaves it alone
    fire = world.partnership.organisations.get(name="Northshire Fire and Rescue")
    assert (fire.sector, fire.budget_gap_pct, fire.demand_growth_pct) == ("fire", 1.8, 1.5)
    college = world.partnership.organisations.get(name="Eastmoor College")
    assert college.sector == "education"
    message = alice.get(response["Location"]).content.decode()
    assert "2 organisations added and 1 updated." in message


def test_a_bad_sector_is_reported_with_its_row_and_column_and_nothing_is_stored(
    world: Any,
) -> None:
    csv = (
        "organisation,sector\n"
        "Northshire Fire and Rescue,fire\n"
        "Eastmoor College,university\n"
        "Northshire Police,other\n"
    )
    response = world.client(world.alice).post(
        page("partnerships:import-organisations", world), {"upload": upload(csv)}
    )
    text = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Nothing was imported" in text
    assert 'organisations.csv row 3, column sector: "university" is not a sector' in text
    assert len(names(world)) == 4
    assert world.org("Northshire Police").sector == "police"  # not updated either


def test_every_problem_in_the_file_is_reported_at_once(world: Any) -> None:
    csv = (
        "organisation,sector,vacancy_rate_pct,colour\n"
        ",health,,red\n"
        "Eastmoor College,education,lots,blue\n"
        "EASTMOOR COLLEGE,education,,green\n"
    )
    response = world.client(world.alice).post(
        page("partnerships:import-organisations", world), {"upload": upload(csv)}
    )
    text = html.unescape(response.content.decode())
    assert "The file has 3 problems" in text
    assert "row 2, column organisation: organisation is blank" in text
    assert 'row 3, column vacancy_rate_pct: "lots" is not a number' in text
    assert "row 4, column organisation: this organisation is already on row 3" in text
    assert len(names(world)) == 4


def test_a_file_without_the_sector_column_is_refused(world: Any) -> None:
    response = world.client(world.alice).post(
        page("partnerships:import-organisations", world),
        {"upload": upload("organisation\nEastmoor College\n")},
    )
    assert "the required column sector is missing" in response.content.decode()
    assert len(names(world)) == 4


def test_importing_needs_a_file(world: Any) -> None:
    response = world.client(world.alice).post(page("partnerships:import-organisations", world))
    assert "Select a file of organisations to upload" in response.content.decode()


def test_organisations_import_from_an_excel_workbook(world: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "organisations"
    sheet.append(["organisation", "sector", "vacancy_rate_pct"])
    sheet.append(["Eastmoor Housing", "housing", 4.2])
    content = io.BytesIO()
    workbook.save(content)
    response = world.client(world.alice).post(
        page("partnerships:import-organisations", world),
        {"upload": SimpleUploadedFile("members.xlsx", content.getvalue())},
    )
    assert response.status_code == 302
    housing = Organisation.objects.get(partnership=world.partnership, name="Eastmoor Housing")
    assert (housing.sector, housing.vacancy_rate_pct) == ("housing", 4.2)
