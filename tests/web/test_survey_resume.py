"""Coming back to a survey link carries on from the first page not yet answered."""

from __future__ import annotations

from django.test import Client

from joinedup.surveys.resume import first_unanswered_page

from .survey_steps import INSTRUMENT, invite, start


def _invited(world, open_round) -> str:
    links, _ = invite(open_round, [("sam@example.org", world.org("Northshire County Council"))])
    return links[0].token


def _come_back(token: str) -> str:
    """Open the link on another device and press the start button; where it leads."""
    later = Client()
    assert "Continue where you left off" in later.get(f"/s/{token}/").content.decode()
    response = later.post(f"/s/{token}/")
    assert response.status_code == 302
    return response["Location"]


def test_leaving_at_the_seventh_page_resumes_at_the_seventh_page(world, open_round) -> None:
    token = start(Client(), _invited(world, open_round))
    first = Client()
    first.post(f"/s/{token}/about/", {"role": "manager"})
    for number, scale in enumerate(INSTRUMENT.scales[:5], start=1):
        first.post(f"/s/{token}/statements/{number}/", dict.fromkeys(scale.items, "4"))
    assert _come_back(token) == f"/s/{token}/statements/6/"


def test_a_half_answered_page_is_where_the_person_comes_back_to(world, open_round) -> None:
    token = start(Client(), _invited(world, open_round))
    first = Client()
    first.post(f"/s/{token}/about/", {"role": "manager"})
    items = INSTRUMENT.scales[0].items
    first.post(f"/s/{token}/statements/1/", {items[0]: "dk", "action": "save-and-leave"})
    assert _come_back(token) == f"/s/{token}/statements/1/"


def test_a_chosen_partner_not_yet_rated_comes_after_the_scales(world, open_round) -> None:
    token = start(Client(), _invited(world, open_round))
    first = Client()
    first.post(f"/s/{token}/about/", {"role": "manager"})
    for number, scale in enumerate(INSTRUMENT.scales, start=1):
        first.post(f"/s/{token}/statements/{number}/", dict.fromkeys(scale.items, "3"))
    police = world.org("Northshire Police")
    first.post(f"/s/{token}/partners/", {"partners": [str(police.pk)]})
    assert _come_back(token) == f"/s/{token}/partners/{police.pk}/"


def test_the_saved_page_links_to_the_start_page_that_resumes(world, open_round) -> None:
    client = Client()
    token = start(client, _invited(world, open_round))
    items = INSTRUMENT.scales[0].items
    client.post(f"/s/{token}/statements/1/", {items[0]: "4", "action": "save-and-leave"})
    page = client.get(f"/s/{token}/saved/").content.decode()
    assert f'/s/{token}/"' in page or f"/s/{token}/<" in page


def test_every_page_answered_leads_to_checking_the_answers() -> None:
    answers = {
        "role": "manager",
        "items": dict.fromkeys(INSTRUMENT.item_codes, 4),
        "partners": [7],
        "ratings": {"7": dict.fromkeys(["contact", *INSTRUMENT.rating_codes], 3)},
        "text": {},
    }
    assert first_unanswered_page(answers, INSTRUMENT, [7]) == ("check", {})
    del answers["text"]
    assert first_unanswered_page(answers, INSTRUMENT, [7]) == ("comments", {})
    assert first_unanswered_page({}, INSTRUMENT, []) == ("about", {})
