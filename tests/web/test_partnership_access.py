"""Who may see and change a partnership's set-up pages.

A member of another partnership gets 404 on every page, by GET and by POST,
and changes nothing; a viewer or partner lead gets 403 on facilitator pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from joinedup.partnerships.models import Membership, Organisation

EVERY_MEMBER = ["partnerships:overview", "partnerships:organisations"]
FACILITATOR_PAGES = [
    "partnerships:edit",
    "partnerships:settings",
    "partnerships:add-organisation",
    "partnerships:import-organisations",
    "partnerships:edit-organisation",
    "partnerships:remove-organisation",
    "partnerships:people",
    "partnerships:add-person",
    "partnerships:change-role",
    "partnerships:remove-person",
    "partnerships:send-link",
]

POST_ONLY = {"partnerships:send-link"}

# A POST that would change something if it were allowed.
CHANGES = {
    "partnerships:edit": {"name": "Taken over", "description": ""},
    "partnerships:settings": {
        "min_group_size": "3",
        "min_tie_raters": "2",
        "min_text_group_size": "3",
    },
    "partnerships:add-organisation": {"name": "Intruder Ltd", "sector": "other"},
    "partnerships:edit-organisation": {"name": "Renamed", "sector": "other"},
    "partnerships:remove-organisation": {},
    "partnerships:add-person": {"email": "mallory@example.org", "role": "facilitator"},
    "partnerships:change-role": {"role": "facilitator"},
    "partnerships:remove-person": {},
    "partnerships:send-link": {},
    "partnerships:overview": {},
    "partnerships:organisations": {},
    "partnerships:people": {},
}


def url(world: Any, name: str) -> str:
    """The page's URL in Northshire, naming Age Well Northshire or Carol where it needs one."""
    partnership = world.partnership.pk
    organisation = world.org("Age Well Northshire").pk
    carol = Membership.objects.get(partnership=world.partnership, user=world.carol).pk
    extra = {
        "partnerships:edit-organisation": [organisation],
        "partnerships:remove-organisation": [organisation],
        "partnerships:change-role": [carol],
        "partnerships:remove-person": [carol],
        "partnerships:send-link": [carol],
    }
    return reverse(name, args=[partnership, *extra.get(name, [])])


def post(client: Any, world: Any, name: str) -> Any:
    data = dict(CHANGES.get(name, {}))
    if name == "partnerships:import-organisations":
        data["upload"] = SimpleUploadedFile(
            "organisations.csv", b"organisation,sector\nIntruder Ltd,other\n", "text/csv"
        )
    return client.post(url(world, name), data)


def state(world: Any) -> tuple[Any, ...]:
    """Everything these pages could change in Northshire."""
    partnership = type(world.partnership).objects.get(pk=world.partnership.pk)
    return (
        partnership.name,
        partnership.min_group_size,
        partnership.min_tie_raters,
        partnership.min_text_group_size,
        sorted(Organisation.objects.filter(partnership=partnership).values_list("name", "sector")),
        sorted(
            Membership.objects.filter(partnership=partnership).values_list(
                "user__email", "role", "organisation_id"
            )
        ),
    )


def test_a_member_of_another_partnership_gets_404_everywhere_and_changes_nothing(
    world: Any, mailbox: Any
) -> None:
    before = state(world)
    dave = world.client(world.dave)
    wrong = []
    for name in EVERY_MEMBER + FACILITATOR_PAGES:
        if name not in POST_ONLY and (status := dave.get(url(world, name)).status_code) != 404:
            wrong.append(f"GET {name}: {status}")
        if (status := post(dave, world, name).status_code) != 404:
            wrong.append(f"POST {name}: {status}")
    assert wrong == []
    assert state(world) == before
    assert mailbox.messages == []


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_partner_leads_and_viewers_get_403_on_facilitator_pages_and_change_nothing(
    world: Any, mailbox: Any, persona: str
) -> None:
    before = state(world)
    client = world.client(getattr(world, persona))
    wrong = []
    for name in FACILITATOR_PAGES:
        if name not in POST_ONLY and (status := client.get(url(world, name)).status_code) != 403:
            wrong.append(f"GET {name}: {status}")
        if (status := post(client, world, name).status_code) != 403:
            wrong.append(f"POST {name}: {status}")
    assert wrong == []
    assert state(world) == before
    assert mailbox.messages == []


def test_every_member_sees_the_overview_and_the_organisations(world: Any) -> None:
    for persona in (world.alice, world.bob, world.carol):
        client = world.client(persona)
        for name in EVERY_MEMBER:
            assert client.get(url(world, name)).status_code == 200, (persona, name)


def test_signed_out_visitors_are_sent_to_sign_in(world: Any) -> None:
    response = world.client(None).get(url(world, "partnerships:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_an_organisation_of_another_partnership_is_not_found_through_ones_own(
    world: Any,
) -> None:
    southvale_council = world.other.organisations.get()
    alice = world.client(world.alice)
    for name in ("partnerships:edit-organisation", "partnerships:remove-organisation"):
        page = reverse(name, args=[world.partnership.pk, southvale_council.pk])
        assert alice.get(page).status_code == 404
        assert alice.post(page, {"name": "Mine now", "sector": "other"}).status_code == 404
    # And the other way round: Dave cannot reach Northshire's through Southvale.
    police = world.org("Northshire Police")
    page = reverse("partnerships:remove-organisation", args=[world.other.pk, police.pk])
    assert world.client(world.dave).post(page).status_code == 404
    assert Organisation.objects.filter(pk=police.pk).exists()
    assert world.other.organisations.get().name == "Southvale Council"


def test_a_member_of_another_partnership_is_not_found_through_ones_own(world: Any) -> None:
    dave_membership = Membership.objects.get(partnership=world.other, user=world.dave)
    alice = world.client(world.alice)
    for name in ("partnerships:change-role", "partnerships:remove-person"):
        page = reverse(name, args=[world.partnership.pk, dave_membership.pk])
        assert alice.get(page).status_code == 404
        assert alice.post(page, {"role": "viewer"}).status_code == 404
    assert Membership.objects.get(pk=dave_membership.pk).role == "facilitator"


def test_changes_need_the_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice, backend="joinedup.accounts.backends.EmailBackend")
    before = state(world)
    response = client.post(url(world, "partnerships:settings"), CHANGES["partnerships:settings"])
    assert response.status_code == 403
    assert state(world) == before
