"""The commitments ledger: pledged against delivered, by organisation and kind; shortfalls."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from joinedup.actions import commitments
from joinedup.actions.commitments import CommitmentState
from joinedup.actions.models import Commitment
from joinedup.actions.services import today

LAST_MONTH = today() - datetime.timedelta(days=30)
NEXT_MONTH = today() + datetime.timedelta(days=30)


@pytest.fixture
def pledges(world: Any) -> dict[str, Commitment]:
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    add = commitments.create_commitment
    return {
        "analysts": add(world.partnership, police, "fte", "Two analysts", Decimal(2), Decimal(2)),
        "fund": add(
            world.partnership,
            police,
            "money",
            "Prevention fund",
            Decimal(200000),
            Decimal(50000),
            LAST_MONTH,
        ),
        "top-up": add(world.partnership, police, "money", "Fund top-up", Decimal("1500.50")),
        "discharge": add(
            world.partnership,
            council,
            "money",
            "Discharge support",
            Decimal(100000),
            due_date=NEXT_MONTH,
        ),
    }


def _url(world: Any, name: str, commitment: Commitment | None = None) -> str:
    args = [world.partnership.pk] + ([commitment.pk] if commitment else [])
    return reverse(f"actions:{name}", args=args)


def _state() -> list[tuple[Any, ...]]:
    return sorted(
        Commitment.objects.values_list("description", "organisation_id", "pledged", "delivered")
    )


def test_each_commitment_is_delivered_outstanding_or_a_shortfall(world: Any, pledges: Any) -> None:
    found = commitments.ledger(world.partnership)
    states = {e.commitment.description: e.state for e in found.entries}
    assert states == {
        "Two analysts": CommitmentState.DELIVERED,
        "Prevention fund": CommitmentState.SHORTFALL,  # past its date, a quarter delivered
        "Fund top-up": CommitmentState.OUTSTANDING,  # no date
        "Discharge support": CommitmentState.OUTSTANDING,  # not due yet
    }
    [shortfall] = found.shortfalls
    assert shortfall.gap == Decimal(150000)


def test_the_ledger_totals_each_organisations_pledges_by_kind(world: Any, pledges: Any) -> None:
    totals = [
        (t.organisation.name, t.kind, t.pledged, t.delivered, t.shortfalls, t.share_delivered)
        for t in commitments.ledger(world.partnership).totals
    ]
    assert totals == [
        ("Northshire County Council", "money", Decimal(100000), Decimal(0), 0, 0),
        ("Northshire Police", "money", Decimal("201500.50"), Decimal(50000), 1, 25),
        ("Northshire Police", "fte", Decimal(2), Decimal(2), 0, 100),
    ]
    page = world.client(world.carol).get(_url(world, "commitments")).content.decode()
    assert "£201,500.50" in page and "£50,000" in page and "2 FTE" in page
    assert "£150,000 short" in page
    assert "1 commitment is past its date and not fully delivered." in page
    status = world.client(world.carol).get(_url(world, "status")).content.decode()
    assert "4 commitments recorded; <strong>1 past its date and not fully delivered" in status


def test_amounts_are_typed_as_people_write_them(world: Any) -> None:
    police = world.org("Northshire Police")
    alice = world.client(world.alice)
    response = alice.post(
        _url(world, "add-commitment"),
        {
            "organisation": police.pk,
            "kind": "money",
            "description": "Fund",
            "pledged": "£200,000",
            "delivered": "",
            "due_date": "",
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.pledged, commitment.delivered) == (Decimal(200000), Decimal(0))
    page = alice.get(_url(world, "edit-commitment", commitment)).content.decode()
    assert 'value="200000"' in page
    for change, message in [
        ({"pledged": "lots"}, "Enter the amount pledged as a number, like 200000 or 1.5"),
        ({"pledged": "0"}, "Enter an amount more than 0"),
        ({"delivered": "-5"}, "Enter 0 or more"),
        ({"organisation": ""}, "Select the organisation that pledged it"),
    ]:
        data = {
            "organisation": police.pk,
            "kind": "fte",
            "description": "Staff",
            "pledged": "1.5",
        } | change
        assert message in alice.post(_url(world, "add-commitment"), data).content.decode()
    assert Commitment.objects.count() == 1


def test_a_partner_lead_records_and_updates_only_their_organisations_commitments(
    world: Any, pledges: Any
) -> None:
    bob = world.client(world.bob)
    council = world.org("Northshire County Council")
    data = {"organisation": council.pk, "kind": "data", "description": "Crime data", "pledged": "3"}
    assert bob.post(_url(world, "add-commitment"), data).status_code == 302
    assert Commitment.objects.get(description="Crime data").organisation.name == "Northshire Police"
    fund = pledges["fund"]
    update = {
        "kind": "money",
        "description": "Prevention fund",
        "pledged": "200000",
        "delivered": "200000",
    }
    assert bob.post(_url(world, "edit-commitment", fund), update).status_code == 302
    fund.refresh_from_db()
    assert fund.delivered == Decimal(200000)
    before = _state()
    discharge = pledges["discharge"]
    for name in ("edit-commitment", "remove-commitment"):
        assert bob.get(_url(world, name, discharge)).status_code == 403
        assert bob.post(_url(world, name, discharge), update).status_code == 403
    assert _state() == before


def test_viewers_read_the_ledger_and_change_nothing(world: Any, pledges: Any) -> None:
    carol = world.client(world.carol)
    before = _state()
    page = carol.get(_url(world, "commitments")).content.decode()
    assert "Record a commitment" not in page and "Change<span" not in page
    assert carol.get(_url(world, "add-commitment")).status_code == 403
    assert carol.post(_url(world, "add-commitment"), {"kind": "money"}).status_code == 403
    for name in ("edit-commitment", "remove-commitment"):
        assert carol.post(_url(world, name, pledges["fund"]), {}).status_code == 403
    assert _state() == before


def test_a_member_of_another_partnership_gets_404_and_changes_nothing(
    world: Any, pledges: Any
) -> None:
    dave = world.client(world.dave)
    before = _state()
    for name, commitment in [
        ("commitments", None),
        ("add-commitment", None),
        ("edit-commitment", pledges["fund"]),
        ("remove-commitment", pledges["fund"]),
    ]:
        assert dave.get(_url(world, name, commitment)).status_code == 404, name
        assert dave.post(_url(world, name, commitment), {}).status_code == 404, name
    assert _state() == before


def test_a_facilitator_removes_a_commitment_recorded_by_mistake(world: Any, pledges: Any) -> None:
    alice = world.client(world.alice)
    assert alice.post(_url(world, "remove-commitment", pledges["top-up"])).status_code == 302
    assert not Commitment.objects.filter(description="Fund top-up").exists()


def test_an_organisation_with_commitments_cannot_be_removed(world: Any, pledges: Any) -> None:
    council = world.org("Northshire County Council")
    page = reverse("partnerships:remove-organisation", args=[world.partnership.pk, council.pk])
    assert world.client(world.alice).post(page).status_code == 409
    assert type(council).objects.filter(pk=council.pk).exists()
