"""Per-person limits on the pages that send e-mail, and who may create partnerships."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from joinedup.accounts.models import User
from joinedup.partnerships.models import Partnership


def _add(client: Any, world: Any, number: int) -> int:
    response = client.post(
        reverse("partnerships:add-person", args=[world.partnership.pk]),
        {"email": f"person{number}@example.org", "name": "", "role": "viewer"},
    )
    return response.status_code


def test_adding_people_is_limited_per_person(world, settings, mailbox) -> None:
    settings.RATE_LIMIT_EMAIL_PAGES = 3
    alice = world.client(world.alice)
    assert [_add(alice, world, n) for n in range(4)] == [302, 302, 302, 429]
    assert len(mailbox.wait_for(3)) == 3
    assert not User.objects.filter(email="person3@example.org").exists()
    # The limit is Alice's own: another facilitator on the same address is not held up.
    dave = world.client(world.dave)
    response = dave.post(
        reverse("partnerships:add-person", args=[world.other.pk]),
        {"email": "someone@example.org", "name": "", "role": "viewer"},
    )
    assert response.status_code == 302


def test_inviting_is_limited_per_person_but_reading_the_page_is_not(
    world, open_round, settings, mailbox
) -> None:
    settings.RATE_LIMIT_EMAIL_PAGES = 2
    url = f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/invite/"
    alice = world.client(world.alice)
    codes = [
        alice.post(url, {"people": f"p{n}@example.org, Northshire Police"}).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert alice.get(url).status_code == 200
    remind = f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/remind/"
    assert alice.post(remind).status_code == 429


def test_the_grant_command_allows_and_revokes_creating_partnerships(world) -> None:
    out = StringIO()
    call_command("grant_partnership_creation", "CAROL@example.org", stdout=out)
    assert "may now set up new partnerships" in out.getvalue()
    carol = world.client(world.carol)
    carol.post(reverse("partnerships:new"), {"name": "Carol's board"})
    assert Partnership.objects.filter(name="Carol's board").exists()
    call_command("grant_partnership_creation", "carol@example.org", "--revoke", stdout=out)
    assert carol.get(reverse("partnerships:new")).status_code == 403
    with pytest.raises(CommandError, match=r"no account for nobody@example\.org"):
        call_command("grant_partnership_creation", "nobody@example.org")


def test_site_operators_may_create_partnerships(world) -> None:
    operator = User.objects.create_superuser("ops@example.org", "an operator passphrase")
    assert world.client(operator).get(reverse("partnerships:new")).status_code == 200
