"""Rounds closed before units were stored get them from their stored result at migration time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("surveys", "0001_initial")]
AFTER = [("surveys", "0004_backfill_closed_round_units")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema")
def test_closed_rounds_get_units_from_their_published_names_and_lose_their_addresses() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    partnership = apps.get_model("partnerships", "Partnership").objects.create(name="Old")
    make_org = apps.get_model("partnerships", "Organisation").objects.create
    police = make_org(partnership=partnership, name="Police", sector="police")
    small = make_org(partnership=partnership, name="Age Well", sector="voluntary")
    survey_round = apps.get_model("surveys", "Round").objects.create(
        partnership=partnership,
        label="2026",
        status="closed",
        result={"units": [
            {"name": "Police", "organisations": ["Police"], "combined": False, "n": 5},
            {"name": "Other organisations", "organisations": ["Age Well"], "combined": True,
             "n": 2},
        ]},
    )  # fmt: skip
    Response = apps.get_model("surveys", "Response")
    old_ids = {
        Response.objects.create(round=survey_round, organisation=org, answers={}).pk
        for org in [police] * 5 + [small] * 2
    }
    apps.get_model("surveys", "Invitation").objects.create(
        round=survey_round, organisation=small, email="a@example.org", token_hash="h1", done=True
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Response = apps.get_model("surveys", "Response")
    by_unit = {}
    for response in Response.objects.all():
        unit = apps.get_model("surveys", "ReportingUnit").objects.get(pk=response.unit_id)
        by_unit.setdefault(unit.name, set()).add(response.organisation_id)
    assert by_unit == {"Police": {police.pk}, "Other organisations": {small.pk}}
    assert not old_ids & set(Response.objects.values_list("pk", flat=True))
    assert not apps.get_model("surveys", "Invitation").objects.exists()
    entry = apps.get_model("surveys", "RoundOrganisation").objects.get(organisation_id=small.pk)
    assert (entry.invited, entry.finished, entry.name) == (1, 1, "Age Well")
    assert apps.get_model("surveys", "ClosedLink").objects.filter(token_hash="h1").exists()
