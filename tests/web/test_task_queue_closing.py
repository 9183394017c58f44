"""Closing a round in the worker: "closing" at once, results when ready, answers refused kindly."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.instrument import load_instrument
from joinedup.surveys.models import Response, Round, RoundStatus

from .survey_steps import answer_everything, invite, start, submit
from .worker import run_worker, task_queue, waiting_tasks  # noqa: F401

pytestmark = pytest.mark.usefixtures("task_queue")


def _url(world, survey_round: Round, action: str = "") -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/{action}"


def _answered(world, survey_round: Round, count: int) -> None:
    police = world.org("Northshire Police")
    links, _ = invite(survey_round, [(f"p{n}@example.org", police) for n in range(count)])
    for link in links:
        person = Client()
        token = start(person, link.token)
        answer_everything(person, token)
        submit(person, token)


def test_closing_runs_in_the_worker_and_a_second_close_does_nothing(world, open_round) -> None:
    _answered(world, open_round, 3)
    alice = world.client(world.alice)
    page = alice.post(_url(world, open_round, "close/"))
    assert page["Location"].endswith("/progress/")
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSING and open_round.result is None
    progress = alice.get(_url(world, open_round, "progress/")).content.decode()
    assert "Closing the round: working out the results." in progress
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in progress
    assert "Closing" in alice.get(_url(world, open_round)).content.decode()
    # Asking again while it closes queues nothing more and changes nothing.
    alice.post(_url(world, open_round, "close/"))
    assert waiting_tasks() == 1
    run_worker()
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.CLOSED
    assert open_round.result["respondents"] == 3
    done = alice.get(_url(world, open_round, "progress/")).content.decode()
    assert "http-equiv" not in done and "See the results" in done
    # A close asked for after it closed is refused with a message, and the result stays.
    result = open_round.result
    alice.post(_url(world, open_round, "close/"))
    run_worker()
    open_round.refresh_from_db()
    assert open_round.result == result and waiting_tasks() == 0


def test_answers_sent_while_the_round_closes_are_refused_kindly(world, open_round) -> None:
    _answered(world, open_round, 3)
    police = world.org("Northshire Police")
    [late], _ = invite(open_round, [("late@example.org", police)])
    person = Client()
    token = start(person, late.token)
    answer_everything(person, token)
    world.client(world.alice).post(_url(world, open_round, "close/"))
    # The close has begun (the analysis waits in the queue): sending is refused at once.
    page = submit(person, token)
    assert page.status_code == 410
    assert "This survey has closed" in page.content.decode()
    assert Response.objects.filter(round=open_round).count() == 3
    run_worker()
    open_round.refresh_from_db()
    assert open_round.result["respondents"] == 3


def test_a_close_that_fails_leaves_the_round_open_with_the_reason(world, open_round) -> None:
    _answered(world, open_round, 3)
    # An answer the analysis refuses, stored behind the survey's back (by an operator).
    codes = load_instrument(open_round.instrument).item_codes
    Response.objects.create(
        round=open_round,
        organisation=world.org("Northshire Police"),
        answers=dict.fromkeys(codes, 9),
    )
    alice = world.client(world.alice)
    alice.post(_url(world, open_round, "close/"))
    run_worker()
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN and open_round.result is None
    assert "could not be analysed" in open_round.close_error
    page = alice.get(_url(world, open_round)).content.decode()
    assert "The round could not be closed, so it is still open." in page
    assert "could not be analysed" in page
    # Answers are still taken, and closing can be tried again.
    [later], _ = invite(open_round, [("later@example.org", world.org("Northshire Police"))])
    person = Client()
    token = start(person, later.token)
    answer_everything(person, token)
    assert submit(person, token).status_code == 302
