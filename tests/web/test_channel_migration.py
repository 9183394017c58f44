"""Responses stored before channels existed get the channel they most likely came by."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("surveys", "0001_initial")]
AFTER = [("surveys", "0002_response_channel_and_audit_log")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema")
def test_the_migration_labels_existing_responses_and_keeps_them_all() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Partnership = old.get_model("partnerships", "Partnership")
    Organisation = old.get_model("partnerships", "Organisation")
    Round = old.get_model("surveys", "Round")
    Invitation = old.get_model("surveys", "Invitation")
    OpenLink = old.get_model("surveys", "OpenLink")
    Response = old.get_model("surveys", "Response")
    partnership = Partnership.objects.create(name="Before channels")
    invited, linked, imported = (
        Organisation.objects.create(partnership=partnership, name=name, sector="health")
        for name in ("Invited Trust", "Linked Charity", "Imported Council")
    )
    survey_round = Round.objects.create(partnership=partnership, label="Old round", status="open")
    Invitation.objects.create(
        round=survey_round, organisation=invited, email="a@x.org", token_hash="a" * 64
    )
    OpenLink.objects.create(round=survey_round, organisation=linked, token_hash="b" * 64)
    for organisation, imported_id in ((invited, ""), (linked, ""), (linked, ""), (imported, "r1")):
        Response.objects.create(
            round=survey_round, organisation=organisation, imported_id=imported_id
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    channels = sorted(
        new.get_model("surveys", "Response").objects.values_list("organisation__name", "channel")
    )
    assert channels == [
        ("Imported Council", "import"),
        ("Invited Trust", "invitation"),
        ("Linked Charity", "open_link"),
        ("Linked Charity", "open_link"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
