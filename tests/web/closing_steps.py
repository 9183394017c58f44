"""Answers sent through the survey's own services (not page by page), for closed-round tests.

`submit_answers` goes the same way as the survey pages end: a link, a draft,
then `services.submit`, so the stored response is exactly what a respondent
would leave, without a hundred page requests per person.
"""

from __future__ import annotations

from collections.abc import Sequence

from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Organisation
from joinedup.surveys import services
from joinedup.surveys.models import Round
from tests.web.survey_steps import invite

INSTRUMENT = load_instrument()


def submit_answers(
    survey_round: Round,
    organisation: Organisation,
    count: int,
    answers: Sequence[int] = (4,),
    partners: Sequence[Organisation] = (),
    role: str = "manager",
) -> list[str]:
    """`count` people of `organisation` answer; person i gives answers[i % len] to every item.

    Returns their invitation addresses, in the order they submitted.
    """
    start = survey_round.invitations.count()
    addresses = [f"r{survey_round.pk}-{start + i}@example.org" for i in range(count)]
    links, _ = invite(survey_round, [(a, organisation) for a in addresses])
    for number, link in enumerate(links):
        answer = answers[number % len(answers)]
        visit = services.find_link(link.token)
        assert visit is not None
        draft, _ = services.start_draft(visit)
        services.save_draft(
            draft,
            {
                "role": role,
                "items": dict.fromkeys(INSTRUMENT.item_codes, answer),
                "partners": [str(p.pk) for p in partners],
                "ratings": {
                    str(p.pk): {"contact": 3} | dict.fromkeys(INSTRUMENT.rating_codes, answer)
                    for p in partners
                },
            },
        )
        services.submit(link.token)
    return addresses
