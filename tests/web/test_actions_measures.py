"""Closing the loop: success measures checked against the next round, and the plan's status.

Two rounds closed with real answers through the survey. In spring everyone
answers 2 ("Disagree") to every statement; in autumn 4 ("Agree"), except
that nobody knows how to answer the COMMIT statements, so autumn has no
COMMIT score to show. With reverse-worded items scored 6 - x, autumn's
partnership scores are RELATE 75, TRUST 62.5 (TRUST3 is reversed), and no
COMMIT.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.actions import services
from joinedup.actions.models import Action, Status
from joinedup.actions.services import Measure, OutcomeState
from joinedup.surveys import services as surveys
from joinedup.surveys.models import Round
from tests.web.survey_steps import invite

from .survey_steps import INSTRUMENT, start, submit


def _answers(
    survey_round: Round, organisation: Any, count: int, answer: int, dont_know: tuple[str, ...] = ()
) -> None:
    """`count` people answer every statement with `answer`, and "Don't know" to `dont_know`."""
    links, _ = invite(
        survey_round,
        [
            (f"{survey_round.pk}-{organisation.pk}-{i}@example.org", organisation)
            for i in range(count)
        ],
    )
    for link in links:
        person = Client()
        token = start(person, link.token)
        pages = [(f"/s/{token}/about/", {"role": "manager"})]
        for number, scale in enumerate(INSTRUMENT.scales, start=1):
            value = "dk" if scale.code in dont_know else str(answer)
            pages.append((f"/s/{token}/statements/{number}/", dict.fromkeys(scale.items, value)))
        pages += [(f"/s/{token}/partners/", {}), (f"/s/{token}/comments/", {})]
        for url, data in pages:
            assert person.post(url, data).status_code == 302, url
        submit(person, token)


def _round(world: Any, label: str, answer: int, dont_know: tuple[str, ...] = ()) -> Round:
    survey_round = surveys.open_round(surveys.create_round(world.partnership, label))
    for name in ("Northshire Police", "Northshire County Council"):
        _answers(survey_round, world.org(name), 5, answer, dont_know)
    return surveys.close_round(survey_round)


@pytest.fixture
def spring(world: Any) -> Round:
    return _round(world, "Spring 2027", 2)


def _start(world: Any, spring: Round, area: str, measure: Measure | None) -> Action:
    action = services.start_from_recommendation(spring, area, created_by=world.alice)
    return services.change_action(
        action,
        by=world.alice,
        area=action.area,
        title=f"{action.title}: {measure.scale if measure else 'no measure'}",
        description=action.description,
        owner=None,
        lead="",
        due_date=None,
        status=action.status,
        scales=action.scales,
        measure=measure,
        started_from=spring,
    )


def test_measures_wait_for_the_next_round(world: Any, spring: Round) -> None:
    action = _start(world, spring, "relationships", Measure("TRUST", "at_least", 60))
    assert services.checking_round(action) is None
    assert services.measure_outcome(action, None).state == OutcomeState.AWAITING
    page = (
        world.client(world.carol)
        .get(reverse("actions:action", args=[world.partnership.pk, action.pk]))
        .content.decode()
    )
    assert "Awaiting the next round" in page
    assert "(it was 37.5 in Spring 2027)" in page  # TRUST in spring: items 2, 2, 6-2, 2


def test_the_next_round_meets_one_measure_misses_another_and_has_no_figure_for_a_third(
    world: Any, spring: Round
) -> None:
    met = _start(world, spring, "relationships", Measure("TRUST", "at_least", 60))
    missed = _start(world, spring, "relationships", Measure("RELATE", "at_least", 80))
    suppressed = _start(world, spring, "commitment", Measure("COMMIT", "at_least", 40))
    unmeasured = _start(world, spring, "conversations", None)
    autumn = _round(world, "Autumn 2027", 4, dont_know=("COMMIT",))
    assert services.partnership_score(autumn, "TRUST") == pytest.approx(62.5)
    assert services.partnership_score(autumn, "RELATE") == pytest.approx(75.0)
    assert services.partnership_score(autumn, "COMMIT") is None

    for action, state in [
        (met, OutcomeState.MET),
        (missed, OutcomeState.NOT_MET),
        (suppressed, OutcomeState.NO_FIGURE),
        (unmeasured, OutcomeState.NO_MEASURE),
    ]:
        assert services.checking_round(action) == autumn
        assert services.measure_outcome(action, autumn).state == state, action.title

    carol = world.client(world.carol)
    page = carol.get(
        reverse("actions:action", args=[world.partnership.pk, met.pk])
    ).content.decode()
    assert "Met" in page and "62.5 in Autumn 2027" in page
    page = carol.get(
        reverse("actions:action", args=[world.partnership.pk, missed.pk])
    ).content.decode()
    assert "Not met" in page and "75.0 in Autumn 2027" in page
    page = carol.get(
        reverse("actions:action", args=[world.partnership.pk, suppressed.pk])
    ).content.decode()
    assert "No figure" in page and "Not shown in Autumn 2027: too few answers" in page

    status = services.plan_status(world.partnership)
    counts = {state: count for state, _, count in status.by_outcome}
    assert counts == {
        OutcomeState.MET: 1,
        OutcomeState.NOT_MET: 1,
        OutcomeState.NO_FIGURE: 1,
        OutcomeState.AWAITING: 0,
        OutcomeState.NO_MEASURE: 1,
    }
    assert (status.checked, status.met) == (2, 1)
    page = carol.get(reverse("actions:status", args=[world.partnership.pk])).content.decode()
    assert "1 of the 2 success measures checked so far was met" in page


def test_a_measure_is_read_against_the_latest_round_after_its_start(
    world: Any, spring: Round
) -> None:
    """An action started from autumn waits for the round after autumn, not spring's."""
    autumn = _round(world, "Autumn 2027", 4, dont_know=("COMMIT",))
    from_spring = _start(world, spring, "relationships", Measure("TRUST", "at_least", 60))
    from_autumn = services.create_action(
        world.partnership,
        area="relationships",
        title="Keep it up",
        measure=Measure("TRUST", "at_least", 60),
        started_from=autumn,
    )
    assert services.checking_round(from_spring) == autumn
    assert services.checking_round(from_autumn) is None
    # The plan pages compute the same answer from one query for all rounds.
    found = services.outcomes([from_spring, from_autumn], world.partnership)
    assert found[from_spring.pk].state == OutcomeState.MET
    assert found[from_autumn.pk].state == OutcomeState.AWAITING


def test_an_action_added_by_hand_is_checked_by_the_next_round_to_close(
    world: Any, spring: Round
) -> None:
    action = services.create_action(
        world.partnership,
        area="relationships",
        title="Leaders’ away day",
        measure=Measure("RELATE", "at_least", 70),
    )
    assert services.checking_round(action) is None
    autumn = _round(world, "Autumn 2027", 4, dont_know=("COMMIT",))
    assert services.checking_round(action) == autumn
    assert services.measure_outcome(action, autumn).state == OutcomeState.MET


def test_a_ceiling_on_a_scale_where_higher_is_worse_is_met_at_or_below_it() -> None:
    strain = Measure("STRAIN", "at_most", 60)
    assert strain.is_met_by(60.0) and strain.is_met_by(12.5)
    assert not strain.is_met_by(60.1)
    assert strain.describe() == "Strain on our organisation at most 60"


def test_the_status_page_counts_actions_by_status_and_lists_the_overdue(world: Any) -> None:
    today = services.today()
    for title, status, due in [
        ("Late and stalled", Status.STALLED, today - datetime.timedelta(days=3)),
        ("Late but done", Status.DONE, today - datetime.timedelta(days=3)),
        ("Due today", Status.IN_PROGRESS, today),
        ("No date", Status.NOT_STARTED, None),
    ]:
        services.create_action(
            world.partnership, area="commitment", title=title, status=status, due_date=due
        )
    status = services.plan_status(world.partnership)
    assert status.total == 4
    assert {code: count for code, _, count in status.by_status} == {
        "not_started": 1,
        "in_progress": 1,
        "done": 1,
        "stalled": 1,
    }
    assert [row.action.title for row in status.overdue] == ["Late and stalled"]
    page = (
        world.client(world.bob)
        .get(reverse("actions:status", args=[world.partnership.pk]))
        .content.decode()
    )
    overdue = page.split("Overdue actions</h2>", 1)[1].split("</table>", 1)[0]
    assert "Late and stalled" in overdue
    assert "Late but done" not in overdue and "Due today" not in overdue
