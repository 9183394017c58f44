"""A partner lead reading the answers cannot find who wrote one by what it names."""

from __future__ import annotations

from django.test import Client

from joinedup.surveys import services
from tests.web.survey_steps import invite

from .survey_steps import answer_everything, start, submit

TELLING = (
    "Sarah Okonkwo at Northshire Police (NE1 4ST) says my NHS number 943 476 5919 "
    "and NI AB 12 34 56 C were shared"
)


def test_a_partner_lead_reads_a_telling_answer_without_its_names_or_numbers(world) -> None:
    # 1. Ten people answer; one answer names a colleague, a postcode and two numbers.
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police = world.org("Northshire Police")
    links, _ = invite(survey_round, [(f"person{i}@example.org", police) for i in range(10)])
    for i, link in enumerate(links):
        person = Client()
        token = start(person, link.token)
        comment = TELLING if i == 0 else "Hospital discharge delays"
        answer_everything(person, token, answer=4, comments={"TEXT_IMPORTANT": comment})
        submit(person, token)
    closed = services.close_round(survey_round)
    # 2. The partner lead opens the results page and the JSON download.
    base = f"/partnerships/{world.partnership.pk}/rounds/{closed.pk}/"
    lead = world.client(world.bob)
    pages = [lead.get(base + "results/words/"), lead.get(base + "download/json/")]
    assert [page.status_code for page in pages] == [200, 200]
    # 3. The answer is there, but names no one and nothing that leads to anyone.
    for page in pages:
        body = page.content.decode()
        assert "Northshire Police" in body
        assert "[name removed] at Northshire Police ([postcode removed])" in body
        for clue in ("Sarah", "Okonkwo", "NE1 4ST", "943 476 5919", "AB 12 34 56 C"):
            assert clue not in body
