"""Starting an action from a closed round's recommendation, in a click, pre-filled."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from joinedup.actions import services
from joinedup.actions.models import Action
from joinedup.surveys import services as surveys
from joinedup.surveys.models import Round
from tests.web.survey_steps import invite

from .survey_steps import answer_everything, start, submit


def _answers(survey_round: Round, organisation: Any, count: int, answer: int) -> None:
    """`count` people of `organisation` answer every statement with `answer`, through the survey."""
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
        answer_everything(person, token, answer=answer)
        submit(person, token)


@pytest.fixture
def closed(world: Any) -> Round:
    """A closed round where every scale is weak: Police and the Council, 5 people each."""
    survey_round = surveys.open_round(surveys.create_round(world.partnership, "Spring 2027"))
    _answers(survey_round, world.org("Northshire Police"), 5, 2)
    _answers(survey_round, world.org("Northshire County Council"), 5, 2)
    return surveys.close_round(survey_round)


def _url(world: Any, survey_round: Round) -> str:
    return reverse("actions:from-round", args=[world.partnership.pk, survey_round.pk])


def _recommendation(survey_round: Round, area: str) -> dict[str, Any]:
    return next(r for r in survey_round.result["recommendations"] if r["action"] == area)


def test_the_page_lists_each_recommendation_with_a_button_to_start_it(
    world: Any, closed: Round
) -> None:
    page = world.client(world.alice).get(_url(world, closed)).content.decode()
    recommendations = closed.result["recommendations"]
    assert recommendations  # every scale is weak: all three actions are called for
    for recommendation in recommendations:
        assert recommendation["title"] in page
        assert f'name="area" value="{recommendation["action"]}"' in page
    assert page.count("Start this action") == len(recommendations)


def test_starting_an_action_pre_fills_it_from_the_recommendation(world: Any, closed: Round) -> None:
    recommendation = _recommendation(closed, "relationships")
    response = world.client(world.alice).post(_url(world, closed), {"area": "relationships"})
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:edit", args=[world.partnership.pk, action.pk])
    assert action.title == recommendation["title"] == "Build the right relationships"
    assert action.area == "relationships"
    assert sorted(action.scales) == sorted(recommendation["scales"])
    assert action.started_from == closed
    assert action.owner is None and action.created_by == world.alice
    assert recommendation["steps"][0] in action.description
    # The success measure: the lowest flagged scale, at least its score now + 10.
    lowest = min(recommendation["figures"], key=lambda f: f.get("favourable", 101))
    assert (action.measure_scale, action.measure_comparison, action.measure_target) == (
        lowest["scale"],
        "at_least",
        min(100, round(lowest["score"]) + 10),
    )
    # The edit page it lands on is filled in and ready to save.
    page = world.client(world.alice).get(response["Location"]).content.decode()
    assert 'value="Build the right relationships"' in page
    assert f'value="{action.measure_target}"' in page


def test_a_scale_where_higher_is_worse_gets_a_ceiling_instead(world: Any, closed: Round) -> None:
    recommendation = _recommendation(closed, "commitment")
    figures = [f for f in recommendation["figures"] if f.get("scale")]
    lowest = min(figures, key=lambda f: f["favourable"])
    world.client(world.alice).post(_url(world, closed), {"area": "commitment"})
    action = Action.objects.get()
    if lowest["scale"] in {"STRAIN", "SURVIVAL"}:
        expected = ("at_most", max(0, round(lowest["score"]) - 10))
    else:
        expected = ("at_least", min(100, round(lowest["score"]) + 10))
    assert (action.measure_comparison, action.measure_target) == expected


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ({"scale": "TRUST", "score": 44.4, "favourable": 44.4}, ("TRUST", "at_least", 54)),
        ({"scale": "TRUST", "score": 95.0, "favourable": 95.0}, ("TRUST", "at_least", 100)),
        ({"scale": "STRAIN", "score": 70.0, "favourable": 30.0}, ("STRAIN", "at_most", 60)),
        ({"scale": "STRAIN", "score": 6.0, "favourable": 94.0}, ("STRAIN", "at_most", 0)),
    ],
)
def test_the_default_target_is_ten_points_better_within_0_to_100(
    figure: dict[str, Any], expected: tuple[str, str, int]
) -> None:
    other = {"scale": "RELATE", "score": 99.0, "favourable": 99.0}
    flag = {"flag": "isolate", "organisation": "Age Well Northshire"}
    measure = services.default_measure({"figures": [flag, other, figure]})
    assert measure is not None
    assert (measure.scale, measure.comparison, measure.target) == expected


def test_starting_another_from_the_same_recommendation_is_offered_once_one_exists(
    world: Any, closed: Round
) -> None:
    alice = world.client(world.alice)
    alice.post(_url(world, closed), {"area": "conversations"})
    page = alice.get(_url(world, closed)).content.decode()
    assert "Already in the plan" in page
    assert "Start another action" in page


def test_an_unknown_recommendation_is_refused_and_nothing_is_added(
    world: Any, closed: Round
) -> None:
    response = world.client(world.alice).post(_url(world, closed), {"area": "side_shows"})
    assert response.status_code == 400
    assert "That round has no such recommendation." in response.content.decode()
    assert not Action.objects.exists()


def test_a_round_without_results_has_no_recommendations_to_start(
    world: Any, open_round: Round
) -> None:
    alice = world.client(world.alice)
    assert alice.get(_url(world, open_round)).status_code == 404
    assert alice.post(_url(world, open_round), {"area": "relationships"}).status_code == 404
    assert not Action.objects.exists()


def test_the_plan_links_to_the_latest_rounds_recommendations(world: Any, closed: Round) -> None:
    page = (
        world.client(world.alice)
        .get(reverse("actions:plan", args=[world.partnership.pk]))
        .content.decode()
    )
    assert _url(world, closed) in page
    assert "Start actions from the Spring 2027 recommendations" in page
