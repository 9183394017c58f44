"""Important issues that never reached an agenda, and the pledged-against-delivered chart."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

from joinedup.actions import commitments, meetings

from .test_results import closed  # noqa: F401  (the fixture: a closed round with comments)


def test_issues_named_as_most_important_are_flagged_until_they_reach_an_agenda(
    world,
    closed,  # noqa: F811
) -> None:
    url = f"/partnerships/{world.partnership.pk}/plan/meetings/"
    page = world.client(world.carol).get(url).content.decode()
    assert "have not reached any agenda yet" in page
    assert "Hospital discharge delays" in page
    meeting = meetings.create_meeting(world.partnership, "Board", datetime.date(2027, 5, 1))
    meetings.add_item(meeting, "Delays to hospital discharge", "what_matters", 40)
    page = world.client(world.carol).get(url).content.decode()
    assert "have not reached any agenda yet" not in page


def test_the_ledger_charts_pledged_against_delivered_by_organisation(world) -> None:
    police = world.org("Northshire Police")
    pledge = commitments.create_commitment(
        world.partnership, police, "money", "Joint fund", Decimal(50000)
    )
    pledge.delivered = Decimal(20000)
    pledge.save()
    page = (
        world.client(world.carol)
        .get(f"/partnerships/{world.partnership.pk}/plan/commitments/")
        .content.decode()
    )
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Northshire Police" in text
    assert "pledged £50,000" in text and "delivered £20,000" in text
