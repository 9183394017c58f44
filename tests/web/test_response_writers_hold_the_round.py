"""Responses have no database constraint on their round or organisation (surveys 0016).

What the constraints guarded, the round's row lock keeps: every writer of a
response holds its round's row, and whatever deletes a round, a partnership or
an organisation takes the rows of the rounds first. Each test here plays the
race the constraints used to catch: a response stored while the thing it
refers to is deleted, or an import into a round that began closing after the
import looked at it. With the locks missing, each would leave a response that
refers to nothing, or one added to a closing round.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from joinedup.instrument import load_instrument
from joinedup.partnerships import deletion
from joinedup.partnerships.models import Organisation, Partnership
from joinedup.partnerships.services import PartnershipError, remove_organisation
from joinedup.surveys import importing, plain_sql, services
from joinedup.surveys.models import Channel, Response, Round, RoundStatus

from .closing_steps import INSTRUMENT
from .race_steps import held, started
from .survey_steps import invite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers with row locks: runs on PostgreSQL (CI)")


def _writing(survey_round: Round, organisation: Organisation) -> Any:
    """A response being stored, held open: the round's row locked as `submit_draft` locks it."""

    def write() -> None:
        found = plain_sql.row(Round, ("status",), "id", survey_round.pk, lock=True)
        assert found is not None
        plain_sql.insert(
            Response,
            [Response(round_id=survey_round.pk, organisation_id=organisation.pk,
                      answers={}, ratings=[], channel=Channel.OPEN_LINK)],
        )  # fmt: skip

    return held(write)


def _orphans() -> int:
    return (
        Response.objects.exclude(round__in=Round.objects.all()).count()
        + Response.objects.exclude(organisation__in=Organisation.objects.all()).count()
    )


def test_an_organisation_is_not_removed_under_a_response_being_sent(world, open_round) -> None:
    organisation = world.org("Age Well Northshire")
    with _writing(open_round, organisation):
        remover, outcome = started(lambda: remove_organisation(organisation))
        remover.join(1.0)
        assert remover.is_alive()  # waiting for the round the response holds
    remover.join(30)
    [error] = outcome
    assert isinstance(error, PartnershipError) and "1 survey response" in str(error)
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Response.objects.filter(organisation=organisation).count() == 1
    assert _orphans() == 0


def test_a_partnership_deleted_under_a_response_being_sent_takes_it_too(world, open_round) -> None:
    partnership = world.partnership
    with _writing(open_round, world.org("Northshire Police")):
        deleter, outcome = started(
            lambda: deletion.delete_partnership(partnership, partnership.name, by="test")
        )
        deleter.join(1.0)
        assert deleter.is_alive()
    deleter.join(30)
    assert outcome == [None]
    assert not Partnership.objects.filter(pk=partnership.pk).exists()
    assert not Response.objects.exists()
    assert _orphans() == 0


def _responses_file(world: Any) -> importing.Upload:
    instrument = load_instrument()
    header = ["respondent_id", "organisation", "role", *instrument.item_codes]
    role = instrument.roles[0].code
    lines = [",".join(header)] + [
        ",".join([f"p{n}", "Northshire Police", role, *("3" for _ in instrument.item_codes)])
        for n in range(1, 6)
    ]
    return importing.Upload("responses.csv", ("\n".join(lines) + "\n").encode())


def test_an_import_into_a_round_that_began_closing_meanwhile_adds_nothing(
    world, open_round
) -> None:
    upload = _responses_file(world)

    def close_round() -> None:  # `services.close_round`'s transaction, held open
        locked = Round.objects.select_for_update().get(pk=open_round.pk)
        locked.status = RoundStatus.CLOSING
        locked.save(update_fields=["status"])

    with held(close_round):
        # The import reads the round as open (the close is not committed yet).
        importer, outcome = started(lambda: importing.import_files(open_round, upload, None))
        importer.join(1.0)
        assert importer.is_alive()  # waiting for the round's row
    importer.join(60)
    [error] = outcome
    assert isinstance(error, importing.ImportRefused), error
    assert "closed" in str(error)
    assert not Response.objects.filter(round=open_round).exists()


def test_the_same_import_into_an_open_round_is_stored(world, open_round) -> None:
    """The file above is a good one: only the close refused it."""
    stored, _ = importing.import_files(open_round, _responses_file(world), None)
    assert stored == 5
    assert Response.objects.filter(round=open_round, channel=Channel.IMPORT).count() == 5


def test_sending_answers_waits_for_whoever_holds_the_round(world, open_round) -> None:
    """The real writer, not a stand-in: `submit` takes the round's row before it stores.

    The round is held as `remove_organisation` holds it (FOR NO KEY UPDATE);
    the answers are stored only once it is let go.
    """
    [link], _ = invite(open_round, [("sender@example.org", world.org("Northshire Police"))])
    visit = services.find_link(link.token)
    assert visit is not None
    draft, _ = services.start_draft(visit)
    services.save_draft(draft, {"items": dict.fromkeys(INSTRUMENT.item_codes, 4)})
    rounds = Round.objects.select_for_update(no_key=True).filter(pk=open_round.pk)
    with held(lambda: list(rounds)):
        sender, outcome = started(lambda: services.submit(link.token))
        sender.join(1.0)
        assert sender.is_alive()  # waiting for the round's row
        assert not Response.objects.filter(round=open_round).exists()
    sender.join(30)
    assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
    assert Response.objects.filter(round=open_round).count() == 1
