"""Removing an organisation never deadlocks with invitations or an open link being made for it.

`remove_organisation` locks the partnership's rounds before the
organisation's row (so that no response is written for it meanwhile:
responses have no database constraint, surveys 0016). Inviting people locks
the organisations' rows (`channels.lock`) and inserts invitations whose
foreign key to the round PostgreSQL checks at commit, taking FOR KEY SHARE
on the round's row. The rounds are therefore locked FOR NO KEY UPDATE, which
that check passes (FOR UPDATE deadlocked: the invitations held the
organisation and waited for the round, the removal the other way round).
The removal waits, then refuses cleanly ("people have been invited").
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from joinedup.partnerships.models import Organisation
from joinedup.partnerships.services import PartnershipError, remove_organisation
from joinedup.surveys import sending, services
from joinedup.surveys.models import Invitation, OpenLink

from .race_steps import started

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Age Well Northshire"


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deferred foreign keys: PostgreSQL")


def _race(monkeypatch, module, name: str, make) -> tuple[list[Any], list[Any]]:
    """Hold `make`'s transaction after `module.name` ran; remove the organisation meanwhile."""
    written, release = threading.Event(), threading.Event()
    original = getattr(module, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        value = original(*args, **kwargs)
        written.set()
        release.wait(30)
        return value

    monkeypatch.setattr(module, name, held)
    maker, made = started(make)
    assert written.wait(30)
    remover, removed = started(lambda: remove_organisation(Organisation.objects.get(name=NAME)))
    remover.join(1.0)
    assert remover.is_alive()  # waiting for the organisation's row
    release.set()
    maker.join(30)
    remover.join(30)
    return made, removed


def test_inviting_while_the_organisation_is_removed_does_not_deadlock(
    world, open_round, monkeypatch
) -> None:
    organisation = world.org(NAME)
    made, removed = _race(
        monkeypatch,
        sending,
        "_insert_invitations",
        lambda: sending.add_invitations(open_round, [("a@example.org", organisation)], send=False),
    )
    [invited], [refused] = made, removed
    assert not isinstance(invited, Exception), invited
    assert isinstance(refused, PartnershipError), refused
    assert Invitation.objects.filter(organisation=organisation).count() == 1


def test_an_open_link_made_while_the_organisation_is_removed_does_not_deadlock(
    world, open_round, monkeypatch
) -> None:
    organisation = world.org(NAME)
    from joinedup.surveys import audit

    made, removed = _race(
        monkeypatch,
        audit,
        "record_open_link",
        lambda: services.create_open_link(open_round, organisation),
    )
    [link], [refused] = made, removed
    assert not isinstance(link, Exception), link
    assert isinstance(refused, PartnershipError), refused
    assert OpenLink.objects.filter(organisation=organisation).count() == 1
