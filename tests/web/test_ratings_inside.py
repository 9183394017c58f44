"""Ratings of partners kept inside each response (`Response.ratings`, `surveys` 0012).

A respondent's ratings live in their response's row, so that closing a round
stores afresh one row per respondent. What a `Rating` row did must still
hold: an organisation partners rated cannot be removed (RESTRICT did that),
deleting a round counts and takes its ratings, and the migration folds
existing ratings into their responses, and unfolds them going back.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from joinedup.partnerships import deletion
from joinedup.partnerships.models import Organisation
from joinedup.partnerships.services import PartnershipError, reasons_to_keep, remove_organisation
from joinedup.surveys import ratings, services
from joinedup.surveys.models import Response

from .closing_steps import INSTRUMENT

SCORES = {"contact": 3, **dict.fromkeys(INSTRUMENT.rating_codes, 4)}


def _respond(survey_round, organisation, partner) -> Response:
    return Response.objects.create(
        round=survey_round,
        organisation=organisation,
        answers=dict.fromkeys(INSTRUMENT.item_codes, 3),
        ratings=[{"partner": partner.pk, **SCORES}],
    )


def test_an_organisation_its_partners_rated_is_kept(world, open_round) -> None:
    rated = Organisation.objects.create(partnership=world.partnership, name="Rated Trust")
    _respond(open_round, world.org("Northshire Police"), rated)
    _respond(open_round, world.org("Northshire Police"), rated)

    assert "partners rated it 2 times in their survey responses" in reasons_to_keep(rated)
    with pytest.raises(PartnershipError):
        remove_organisation(rated)
    assert Organisation.objects.filter(pk=rated.pk).exists()
    # One nobody rated goes.
    unrated = Organisation.objects.create(partnership=world.partnership, name="Unrated Trust")
    remove_organisation(unrated)
    assert not Organisation.objects.filter(pk=unrated.pk).exists()


def test_deleting_a_round_counts_its_ratings_and_takes_them(world, open_round) -> None:
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    _respond(open_round, police, council)
    _respond(open_round, council, police)
    goes = {entry.what: entry.count for entry in deletion.what_goes_with_round(open_round)}
    assert goes["ratings of partners"] == 2 == ratings.count_in_round(open_round.pk)
    deletion.delete_round(open_round, by="test")
    assert not Response.objects.exists()
    assert ratings.count_of_partner(council.pk, world.partnership.pk) == 0


def test_a_submitted_response_holds_its_ratings_in_partner_order(world, open_round) -> None:
    police = world.org("Northshire Police")
    partners = sorted(
        (world.org(n) for n in ("Northshire County Council", "Age Well Northshire")),
        key=lambda o: o.pk,
    )
    visit = services.find_link(services.create_open_link(open_round, police))
    assert visit is not None
    draft, _ = services.start_draft(visit)
    services.save_draft(
        draft,
        {"partners": [str(p.pk) for p in reversed(partners)],
         "ratings": {str(p.pk): {"contact": 2, "reliable": 9} for p in partners}},
    )  # fmt: skip
    services.submit_draft(draft)
    stored = Response.objects.get().ratings
    assert [entry["partner"] for entry in stored] == [p.pk for p in partners]
    assert stored[0]["contact"] == 2 and stored[0]["reliable"] is None  # 9 is no answer


BEFORE = [("surveys", "0011_invitation_email_search_index")]
AFTER = [("surveys", "0012_ratings_in_responses")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema")
def test_the_migration_folds_ratings_into_responses_and_back() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    partnership = old.get_model("partnerships", "Partnership").objects.create(name="Old")
    organisation_model = old.get_model("partnerships", "Organisation")
    a, b, c = (
        organisation_model.objects.create(partnership=partnership, name=name)
        for name in ("A", "B", "C")
    )
    survey_round = old.get_model("surveys", "Round").objects.create(
        partnership=partnership, label="2026", status="open"
    )
    response_model, rating_model = (old.get_model("surveys", m) for m in ("Response", "Rating"))
    rater = response_model.objects.create(round=survey_round, organisation=a, answers={})
    silent = response_model.objects.create(round=survey_round, organisation=b, answers={})
    for partner, contact in ((c, None), (b, 2)):
        rating_model.objects.create(
            id=uuid.uuid4(), response=rater, partner=partner, contact=contact, reliable=5
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    folded = dict(new.get_model("surveys", "Response").objects.values_list("pk", "ratings"))
    blank = dict.fromkeys(("open", "purpose", "resources", "influence", "involved"))
    assert folded[silent.pk] == []
    assert folded[rater.pk] == [
        {"partner": b.pk, "contact": 2, "reliable": 5, **blank},
        {"partner": c.pk, "contact": None, "reliable": 5, **blank},
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    back = old.get_model("surveys", "Rating").objects.order_by("partner_id")
    assert list(back.values_list("response_id", "partner_id", "contact", "reliable")) == [
        (rater.pk, b.pk, 2, 5),
        (rater.pk, c.pk, None, 5),
    ]
