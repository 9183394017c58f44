"""Nobody is invited, and no open link made, in a round that closed while the request waited.

Inviting people and making an open link look at the round's status first,
then lock the organisations' rows (`channels.lock`). A close locks every
organisation of its partnership before it erases the round's invitations
and links, so a request that looked while the round was open and then
waited behind the close would add, after the close, invitations (with
their e-mail addresses) or a link that nothing would ever erase. The status
is read again under the organisations' locks (`channels.lock`).
Each test holds a close's transaction open (the locks `finish_close` takes,
the round marked closed), starts the request, then lets the close commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from joinedup.partnerships.models import Organisation
from joinedup.surveys import sending, services
from joinedup.surveys.errors import SurveyError
from joinedup.surveys.models import Invitation, OpenLink, Round, RoundStatus

from .race_steps import held, started

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers with row locks: runs on PostgreSQL (CI)")


def _during_a_close(survey_round: Round, request: Callable[[], Any]) -> list[Any]:
    """Run `request` while a close holds its locks; the list gets its result or its error."""

    def close() -> None:  # `finish_close`'s locks and its last write, held open
        locked = Round.objects.select_for_update(no_key=True).get(pk=survey_round.pk)
        organisations = Organisation.objects.filter(partnership_id=locked.partnership_id)
        list(organisations.select_for_update(no_key=True).order_by("pk"))
        locked.status = RoundStatus.CLOSED
        locked.save(update_fields=["status"])

    with held(close):
        asker, outcome = started(request)
        asker.join(1.0)
        assert asker.is_alive()  # it saw the round open, and waits for the organisations
    asker.join(30)
    return outcome


def test_no_invitation_is_added_to_a_round_that_closed_meanwhile(world, open_round) -> None:
    people = [("late@example.org", world.org("Northshire Police"))]
    [error] = _during_a_close(
        open_round, lambda: sending.add_invitations(open_round, people, send=False)
    )
    assert isinstance(error, SurveyError) and "closed" in str(error), error
    assert not Invitation.objects.filter(round=open_round).exists()


def test_no_open_link_is_made_in_a_round_that_closed_meanwhile(world, open_round) -> None:
    police = world.org("Northshire Police")
    [error] = _during_a_close(open_round, lambda: services.create_open_link(open_round, police))
    assert isinstance(error, SurveyError) and "closed" in str(error), error
    assert not OpenLink.objects.filter(round=open_round).exists()


def test_invitations_made_while_the_round_stays_open_are_stored(world, open_round) -> None:
    """The same request with no close: it adds the invitation (the refusal above is the close's)."""
    people = [("late@example.org", world.org("Northshire Police"))]
    ids, skipped = sending.add_invitations(open_round, people, send=False)
    assert len(ids) == 1 and not skipped
