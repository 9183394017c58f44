"""Reporting units are fixed when a round closes, keyed by organisation id (issue 9 §3).

Each test plays a facilitator's attack on the anonymised responses file:
download it, change something about the organisations or the thresholds,
download again, and compare. Before units were stored, the second file
found units by today's names, so the rows that dropped out or moved were
exactly a small organisation's respondents.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db.models import RestrictedError

from joinedup.partnerships import services as partnership_services
from joinedup.surveys import services
from joinedup.surveys.models import ReportingUnit, Response, Round, RoundOrganisation

from .closing_steps import submit_answers


@pytest.fixture
def closed(world) -> Round:
    """k = 5: Police (6) alone; Age Well (2) merged, and the Council (5) joins it."""
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    submit_answers(survey_round, world.org("Northshire Police"), 6, answers=(2, 3, 4, 5))
    submit_answers(survey_round, world.org("Northshire County Council"), 5, answers=(1, 2))
    submit_answers(survey_round, world.org("Age Well Northshire"), 2, answers=(5,))
    return services.close_round(survey_round)


def _download(world, survey_round) -> list[tuple[str, ...]]:
    url = f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/download/responses/"
    response = world.client(world.alice).get(url)
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    # Respondent numbers are new in every file; compare everything else.
    return sorted(tuple(v for k, v in row.items() if k != "respondent_id") for row in rows)


def _without_csrf(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _merged_rows(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [row for row in rows if row[0] == "Other organisations"]


def test_units_are_stored_by_organisation_id_when_the_round_closes(world, closed) -> None:
    units = list(ReportingUnit.objects.filter(round=closed))
    assert [(u.name, u.combined) for u in units] == [
        ("Northshire Police", False),
        ("Other organisations", True),
    ]
    members = {
        entry.organisation_id: entry.unit.name if entry.unit else None
        for entry in RoundOrganisation.objects.filter(round=closed)
    }
    assert members == {
        world.org("Northshire Police").pk: "Northshire Police",
        world.org("Northshire County Council").pk: "Other organisations",
        world.org("Age Well Northshire").pk: "Other organisations",
        world.org("Northshire NHS Foundation Trust").pk: None,  # nobody answered
    }
    by_unit = {u.name: Response.objects.filter(unit=u).count() for u in units}
    assert by_unit == {"Northshire Police": 6, "Other organisations": 7}


def test_renaming_a_merged_organisation_keeps_its_rows_merged(world, closed) -> None:
    before = _download(world, closed)
    assert len(_merged_rows(before)) == 7
    age_well = world.org("Age Well Northshire")
    page = world.client(world.alice).post(
        f"/partnerships/{world.partnership.pk}/organisations/{age_well.pk}/",
        {"name": "Age Well Together", "sector": "voluntary"},
    )
    assert page.status_code == 302
    age_well.refresh_from_db()
    assert age_well.name == "Age Well Together"
    assert _download(world, closed) == before


def test_swapping_two_organisations_names_moves_nobody(world, closed) -> None:
    before = _download(world, closed)
    police, age_well = world.org("Northshire Police"), world.org("Age Well Northshire")
    partnership_services.update_organisation(age_well, "Swap", "voluntary")
    partnership_services.update_organisation(police, "Age Well Northshire", "police")
    partnership_services.update_organisation(age_well, "Northshire Police", "voluntary")
    assert _download(world, closed) == before


def test_an_organisation_with_answers_in_a_closed_round_cannot_be_removed(world, closed) -> None:
    before = _download(world, closed)
    age_well = world.org("Age Well Northshire")
    page = world.client(world.alice).post(
        f"/partnerships/{world.partnership.pk}/organisations/{age_well.pk}/remove/", follow=True
    )
    assert page.status_code == 409  # refused with a page that says why
    assert "You cannot remove" in page.content.decode()
    assert "closed round" in page.content.decode()
    with pytest.raises(partnership_services.PartnershipError, match="closed round"):
        partnership_services.remove_organisation(age_well)
    # Not even a direct delete in the database layer takes answers out of the round.
    with pytest.raises(RestrictedError):
        age_well.delete()
    assert _download(world, closed) == before


def test_an_organisation_nobody_answered_for_is_removable_and_the_file_stays(world, closed) -> None:
    before = _download(world, closed)
    trust = world.org("Northshire NHS Foundation Trust")
    RoundOrganisation.objects.filter(organisation=trust).delete()  # a partnership of today
    partnership_services.remove_organisation(trust)
    assert _download(world, closed) == before


def test_re_importing_organisations_after_a_rename_changes_nothing(world, closed) -> None:
    before = _download(world, closed)
    partnership_services.update_organisation(
        world.org("Age Well Northshire"), "Age Well", "voluntary"
    )
    # The file brings the old name back: a new organisation of that name is added.
    content = b"organisation,sector\nAge Well Northshire,voluntary\nNorthshire Police,police\n"
    summary = partnership_services.import_organisations(
        world.partnership, "organisations.csv", content
    )
    assert summary.added == ["Age Well Northshire"]
    assert _download(world, closed) == before


def test_lowering_the_threshold_does_not_unmerge_anyone(world, closed) -> None:
    before = _download(world, closed)
    result_page = f"/partnerships/{world.partnership.pk}/rounds/{closed.pk}/results/"
    page_before = _without_csrf(world.client(world.alice).get(result_page).content.decode())
    page = world.client(world.alice).post(
        f"/partnerships/{world.partnership.pk}/settings/",
        {"min_group_size": "3", "min_tie_raters": "3", "min_text_group_size": "10"},
    )
    assert page.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.min_group_size == 3
    assert _download(world, closed) == before
    page_after = world.client(world.alice).get(result_page).content.decode()
    assert _without_csrf(page_after) == page_before
