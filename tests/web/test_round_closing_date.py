"""A round's planned closing date: typed as day, month and year, checked with clear
messages, shown to partners and respondents; nothing closes by itself."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.surveys import services
from joinedup.surveys.closing_date import days_left
from joinedup.surveys.models import Round, RoundStatus
from tests.web.survey_steps import invite

from .conftest import World


def _new(world: World) -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/new/"


def _change(world: World, survey_round: Round) -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/closing-date/"


def _date(day: datetime.date) -> dict[str, str]:
    return {
        "closes_on_day": str(day.day),
        "closes_on_month": str(day.month),
        "closes_on_year": str(day.year),
    }


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_a_round_is_created_with_a_planned_closing_date_and_shows_the_days_left(
    world: World,
) -> None:
    alice = world.client(world.alice)
    form = alice.get(_new(world)).content.decode()
    for part in ("day", "month", "year"):
        assert f'name="closes_on_{part}"' in form and f'for="id_closes_on_{part}"' in form
    assert '<legend class="govuk-fieldset__legend">' in form and "Planned closing date" in form
    closes_on = timezone.localdate() + datetime.timedelta(days=20)
    alice.post(_new(world), {"label": "Spring", **_date(closes_on)})
    survey_round = Round.objects.get(partnership=world.partnership)
    assert survey_round.closes_on == closes_on
    page = alice.get(f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/")
    assert f"Planned closing date: {_long(closes_on)}." in page.content.decode()
    services.open_round(survey_round)
    for user in (world.alice, world.carol):  # a viewer sees it too
        body = world.client(user).get(page.wsgi_request.path).content.decode()
        assert f"This survey closes on {_long(closes_on)}: 20 days left." in body
    # Nothing closes by itself, even once the day has passed.
    Round.objects.filter(pk=survey_round.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    body = alice.get(page.wsgi_request.path).content.decode()
    assert "was due to close on" in body and "still open" in body
    assert Round.objects.get(pk=survey_round.pk).status == RoundStatus.OPEN


def test_the_date_is_optional(world: World) -> None:
    world.client(world.alice).post(_new(world), {"label": "Spring"})
    assert Round.objects.get(partnership=world.partnership).closes_on is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"closes_on_day": "31", "closes_on_month": "2", "closes_on_year": "2031"},
         "The planned closing date must be a real date"),
        ({"closes_on_day": "1", "closes_on_month": "", "closes_on_year": "2031"},
         "The planned closing date must include a month"),
        ({"closes_on_day": "", "closes_on_month": "", "closes_on_year": "2031"},
         "The planned closing date must include a day and month"),
        ({"closes_on_day": "1", "closes_on_month": "6", "closes_on_year": "31"},
         "The year must include 4 numbers, like 2027"),
        ({"closes_on_day": "first", "closes_on_month": "6", "closes_on_year": "2031"},
         "The planned closing date must be a real date"),
        ({"closes_on_day": "1", "closes_on_month": "1", "closes_on_year": "2020"},
         "The planned closing date must be today or in the future"),
        ({"closes_on_day": "1", "closes_on_month": "1", "closes_on_year": "2099"},
         "The planned closing date must be within the next 3 years"),
    ],
)  # fmt: skip
def test_a_wrong_date_is_refused_with_a_message_that_says_what_to_do(
    world: World, typed: dict[str, str], message: str
) -> None:
    page = world.client(world.alice).post(_new(world), {"label": "Spring", **typed})
    body = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error:" in body
    assert f'<a href="#id_closes_on_day">{message}</a>' in body  # the error summary
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in body
    assert f'value="{typed["closes_on_year"]}"' in body  # what was typed is kept
    assert not Round.objects.filter(partnership=world.partnership).exists()


def test_a_month_may_be_typed_as_its_name(world: World) -> None:
    year = timezone.localdate().year + 1
    world.client(world.alice).post(
        _new(world),
        {"label": "Spring", "closes_on_day": "3", "closes_on_month": "March",
         "closes_on_year": str(year)},
    )  # fmt: skip
    assert Round.objects.get(partnership=world.partnership).closes_on == datetime.date(year, 3, 3)


def test_a_facilitator_changes_or_removes_the_date_and_nobody_else_can(
    world: World, open_round: Round
) -> None:
    alice = world.client(world.alice)
    url = _change(world, open_round)
    assert world.client(world.bob).get(url).status_code == 403
    assert world.client(world.carol).post(url, _date(timezone.localdate())).status_code == 403
    round_page = alice.get(f"/partnerships/{world.partnership.pk}/rounds/{open_round.pk}/")
    assert f'href="{url}"' in round_page.content.decode()
    today = timezone.localdate()
    done = alice.post(url, _date(today))
    assert done.status_code == 302
    assert Round.objects.get(pk=open_round.pk).closes_on == today
    body = alice.get(done["Location"]).content.decode()
    assert "This survey closes today" in body
    # A date already set stays, even after it passed; a new past date does not.
    past = today - datetime.timedelta(days=4)
    Round.objects.filter(pk=open_round.pk).update(closes_on=past)
    form = alice.get(url).content.decode()
    assert f'value="{past.day}"' in form and f'value="{past.year}"' in form
    assert alice.post(url, _date(past)).status_code == 302
    refused = alice.post(url, _date(past - datetime.timedelta(days=1)))
    assert "must be today or in the future" in refused.content.decode()
    # Empty boxes remove it.
    alice.post(url, {"closes_on_day": "", "closes_on_month": "", "closes_on_year": ""})
    assert Round.objects.get(pk=open_round.pk).closes_on is None


def test_a_closed_rounds_date_cannot_be_changed(world: World, open_round: Round) -> None:
    Round.objects.filter(pk=open_round.pk).update(status=RoundStatus.CLOSED)
    answer = world.client(world.alice).post(_change(world, open_round), _date(timezone.localdate()))
    assert answer.status_code == 302
    assert Round.objects.get(pk=open_round.pk).closes_on is None


def test_the_survey_start_page_says_when_the_survey_closes(world: World, open_round: Round) -> None:
    links, _ = invite(open_round, [("a@example.org", world.org("Northshire Police"))])
    start = f"/s/{links[0].token}/"
    assert "This survey closes on" not in Client().get(start).content.decode()
    closes_on = timezone.localdate() + datetime.timedelta(days=9)
    Round.objects.filter(pk=open_round.pk).update(closes_on=closes_on)
    assert f"This survey closes on {_long(closes_on)}." in Client().get(start).content.decode()


@pytest.mark.parametrize(
    ("days", "said"),
    [(2, "2 days left"), (1, "1 day left"), (0, "closes today"), (-1, "was due to close on")],
)
def test_days_left_in_words(world: World, open_round: Round, days: int, said: str) -> None:
    today = datetime.date(2027, 3, 8)
    open_round.closes_on = today + datetime.timedelta(days=days)
    assert days_left(open_round, today).startswith(said)
    open_round.status = RoundStatus.DRAFT
    assert days_left(open_round, today) == ""  # only an open round has days left
