"""How we work together: the charter signed off per organisation, and planned
conversations for the pairs of organisations whose relationship a round flagged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.actions import working
from joinedup.actions.models import Charter, CharterSignOff, PairConversation
from joinedup.partnerships.models import Membership, Role
from joinedup.surveys import services as surveys
from joinedup.surveys.models import Round
from tests.web.survey_steps import invite

from .survey_steps import answer_everything, start, submit


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"actions:{name}", args=[world.partnership.pk, *args])


@pytest.fixture
def charter(world: Any) -> Charter:
    return working.save_charter(world.partnership, "We share bad news early.", world.alice)


def _sign(client: Client, world: Any, organisation: str) -> Any:
    return client.post(_url(world, "sign-charter"), {"organisation": world.org(organisation).pk})


def test_a_facilitator_writes_the_charter_and_each_organisation_signs_it_off(
    world: Any,
) -> None:
    alice, bob = world.client(world.alice), world.client(world.bob)
    assert "Write the charter" in alice.get(_url(world, "charter")).content.decode()
    alice.post(_url(world, "edit-charter"), {"text": "We share bad news early."})
    assert _sign(bob, world, "Northshire Police").status_code == 302
    assert _sign(alice, world, "Northshire County Council").status_code == 302
    _sign(bob, world, "Northshire Police")  # twice is still once
    signed = CharterSignOff.objects.order_by("organisation__name")
    assert [(s.organisation.name, s.version, s.signed_by) for s in signed] == [
        ("Northshire County Council", 1, world.alice),
        ("Northshire Police", 1, world.bob),
    ]
    page = world.client(world.carol).get(_url(world, "charter")).content.decode()
    assert "We share bad news early." in page
    assert "Signed off by 2 of 4 organisations." in page
    assert "Sign off<span" not in page  # a viewer signs nothing


def test_changing_the_text_asks_everyone_to_sign_again(world: Any, charter: Charter) -> None:
    working.sign_off(charter, world.org("Northshire Police"), world.bob)
    same = working.save_charter(world.partnership, "  We share bad news early. ", world.alice)
    assert same.version == 1
    changed = working.save_charter(world.partnership, "We share bad news first.", world.alice)
    assert changed.version == 2
    rows = {r.organisation.name: r for r in working.sign_off_status(world.partnership, changed)}
    assert rows["Northshire Police"].current is None
    assert rows["Northshire Police"].earlier.version == 1
    page = world.client(world.bob).get(_url(world, "charter")).content.decode()
    assert "signed version 1" in page and "Signed off by 0 of 4" in page


def test_a_partner_lead_signs_only_for_their_organisation_and_a_viewer_not_at_all(
    world: Any, charter: Charter
) -> None:
    assert _sign(world.client(world.bob), world, "Northshire County Council").status_code == 403
    assert _sign(world.client(world.carol), world, "Northshire Police").status_code == 403
    assert (
        world.client(world.bob).post(_url(world, "edit-charter"), {"text": "Ours"}).status_code
        == 403
    )
    assert _sign(world.client(world.dave), world, "Northshire Police").status_code == 404
    assert world.client(world.dave).get(_url(world, "charter")).status_code == 404
    assert not CharterSignOff.objects.exists()
    charter.refresh_from_db()
    assert charter.text == "We share bad news early."


def _answers(survey_round: Round, organisation: Any, partner: Any, rating: int) -> None:
    links, _ = invite(
        survey_round,
        [(f"{organisation.pk}-{i}@example.org", organisation) for i in range(5)],
    )
    for link in links:
        person = Client()
        token = start(person, link.token)
        answer_everything(person, token, partners=[partner.pk], rating=rating)
        submit(person, token)


@pytest.fixture
def flagged(world: Any) -> Round:
    """Police and the Council rate each other "Not at all" on trust: low trust both ways."""
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    survey_round = surveys.open_round(surveys.create_round(world.partnership, "Spring 2027"))
    _answers(survey_round, police, council, 1)
    _answers(survey_round, council, police, 1)
    return surveys.close_round(survey_round)


def test_flagged_pairs_are_listed_and_a_conversation_is_planned_in_a_click(
    world: Any, flagged: Round
) -> None:
    [pair] = working.flagged_pairs(flagged)
    assert (pair.a_name, pair.b_name, pair.flag) == (
        "Northshire County Council",
        "Northshire Police",
        "mutual_low_trust",
    )
    bob = world.client(world.bob)  # Police is one of the two
    page = bob.get(_url(world, "conversations")).content.decode()
    assert "Northshire County Council and Northshire Police" in page
    assert "Low trust both ways" in page
    response = bob.post(_url(world, "plan-conversation"), {"pair": "0"})
    conversation = PairConversation.objects.get()
    assert response["Location"] == _url(world, "conversation", conversation.pk)
    assert (conversation.flag, conversation.round, conversation.status) == (
        "mutual_low_trust",
        flagged,
        "planned",
    )
    bob.post(
        _url(world, "conversation", conversation.pk),
        {"planned_for": "2/6/2027", "status": "held", "notes": "Agreed a data-sharing protocol."},
    )
    conversation.refresh_from_db()
    assert (conversation.status, str(conversation.planned_for)) == ("held", "2027-06-02")


def test_only_facilitators_and_the_pairs_leads_plan_and_update_its_conversation(
    world: Any, flagged: Round
) -> None:
    # Give Age Well a partner lead, who is not in the flagged pair.
    Membership.objects.create(
        partnership=world.partnership,
        user=world.dave,
        role=Role.PARTNER_LEAD,
        organisation=world.org("Age Well Northshire"),
    )
    outsider = world.client(world.dave)
    assert outsider.post(_url(world, "plan-conversation"), {"pair": "0"}).status_code == 403
    assert (
        world.client(world.carol).post(_url(world, "plan-conversation"), {"pair": "0"}).status_code
        == 403
    )
    assert (
        world.client(world.alice).post(_url(world, "plan-conversation"), {"pair": "9"}).status_code
        == 404
    )
    world.client(world.alice).post(_url(world, "plan-conversation"), {"pair": "0"})
    conversation = PairConversation.objects.get()
    page = _url(world, "conversation", conversation.pk)
    assert outsider.post(page, {"status": "not_happening"}).status_code == 403
    assert world.client(world.carol).get(page).status_code == 403
    conversation.refresh_from_db()
    assert conversation.status == "planned"
    # Southvale's facilitator cannot reach it through Southvale either.
    other = reverse("actions:conversation", args=[world.other.pk, conversation.pk])
    Membership.objects.filter(user=world.dave, partnership=world.partnership).delete()
    assert world.client(world.dave).post(other, {"status": "held"}).status_code == 404
    assert world.client(world.dave).get(_url(world, "conversations")).status_code == 404
