"""The anonymised response file never singles out a role within a unit."""

from __future__ import annotations

import csv
import io

from django.test import Client

from joinedup.surveys import services
from tests.web.survey_steps import invite

from .survey_steps import answer_everything, start, submit


def test_a_role_held_by_fewer_than_k_people_of_a_unit_is_left_blank(world) -> None:
    survey_round = services.open_round(services.create_round(world.partnership, "Roles"))
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    # Partnership-wide, managers (5) and practitioners (7) are both role groups;
    # but the police have one practitioner, who must not be singled out.
    people = (
        [(police, "manager")] * 5 + [(police, "practitioner")] + [(council, "practitioner")] * 6
    )
    links, _ = invite(
        survey_round, [(f"p{i}@example.org", org) for i, (org, _) in enumerate(people)]
    )
    for link, (_, role) in zip(links, people, strict=True):
        person = Client()
        token = start(person, link.token)
        answer_everything(person, token, role=role)
        submit(person, token)
    services.close_round(survey_round)
    url = f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/download/responses/"
    body = world.client(world.alice).get(url).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 12
    cells = {(r["organisation"], r["role"]) for r in rows}
    assert ("Northshire Police", "practitioner") not in cells
    assert ("Northshire Police", "") in cells
    assert (
        sum(1 for r in rows if (r["organisation"], r["role"]) == ("Northshire Police", "manager"))
        == 5
    )
    assert sum(1 for r in rows if r["role"] == "practitioner") == 6
