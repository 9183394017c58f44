"""Hand-made POSTs cannot put an answer the survey does not offer into the round."""

from __future__ import annotations

import pytest

from joinedup.surveys import services
from joinedup.surveys.models import Draft, Response
from tests.web.survey_steps import invite

from .survey_steps import INSTRUMENT, answer_everything, start, submit


@pytest.fixture
def invited(world, open_round):
    links, _ = invite(open_round, [("sam@example.org", world.org("Northshire County Council"))])
    return links[0]


def test_values_outside_the_choices_are_not_saved_even_when_saving_for_later(
    client, world, open_round, invited
) -> None:
    token = start(client, invited.token)
    police = world.org("Northshire Police")
    answer_everything(client, token, partners=[police.pk])
    first, second = INSTRUMENT.scales[0].items[:2]
    client.post(f"/s/{token}/statements/1/", {first: "9", second: "4", "action": "save-and-leave"})
    client.post(
        f"/s/{token}/partners/{police.pk}/",
        {"contact": "9", "reliable": "77", "open": "dk", "action": "save-and-leave"},
    )
    draft = Draft.objects.get()
    assert draft.answers["items"][first] == 4  # the earlier valid answer stands
    assert draft.answers["items"][second] == 4
    assert draft.answers["ratings"][str(police.pk)]["contact"] == 3
    assert draft.answers["ratings"][str(police.pk)]["open"] == "dk"
    submit(client, token)
    [rating] = Response.objects.get().ratings
    assert (rating["contact"], rating["reliable"], rating["open"]) == (3, 3, None)
    # The round still closes cleanly: nothing stored is out of range.
    services.close_round(open_round)


def test_the_stored_response_keeps_only_values_the_instrument_allows(world, open_round) -> None:
    links, _ = invite(open_round, [("x@example.org", world.org("Northshire Police"))])
    visit = services.find_link(links[0].token)
    draft, _ = services.start_draft(visit)
    items = dict.fromkeys(INSTRUMENT.item_codes, 4) | {INSTRUMENT.item_codes[0]: 6}
    services.save_draft(draft, {"role": "emperor", "items": items, "partners": []})
    services.submit(links[0].token)
    stored = Response.objects.get()
    assert stored.answers[INSTRUMENT.item_codes[0]] is None
    assert stored.answers[INSTRUMENT.item_codes[1]] == 4
    assert stored.role == ""
