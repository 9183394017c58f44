"""Trend compares with what the earlier round published, never a re-analysis (issue 9 §4).

The attack: close a round at k = 5 with a small organisation merged, lower k
to 3, close the next round. Re-analysing the first round at k = 3 would give
that organisation "previous" figures of its own, which were never published.
"""

from __future__ import annotations

from joinedup.surveys import services
from joinedup.surveys.models import Round

from .closing_steps import submit_answers


def _close_through_the_web(world, survey_round) -> Round:
    url = f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/close/"
    assert world.client(world.alice).post(url).status_code == 302
    return Round.objects.get(pk=survey_round.pk)


def _answer(world, survey_round, small: int) -> None:
    submit_answers(survey_round, world.org("Northshire Police"), 6, answers=(2, 3, 4, 5))
    submit_answers(survey_round, world.org("Northshire County Council"), 6, answers=(1, 3))
    submit_answers(survey_round, world.org("Age Well Northshire"), 3, answers=(5, 4))
    submit_answers(survey_round, world.org("Northshire NHS Foundation Trust"), small, answers=(2,))


def test_lowering_k_does_not_give_an_earlier_merged_organisation_a_trend(world) -> None:
    first = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    _answer(world, first, small=3)  # 3 + 3: merged at k = 5, each alone at k = 3
    first = _close_through_the_web(world, first)
    units = {u["name"]: u for u in first.result["units"]}
    assert set(units["Other organisations"]["organisations"]) == {
        "Age Well Northshire",
        "Northshire NHS Foundation Trust",
    }

    settings = f"/partnerships/{world.partnership.pk}/settings/"
    page = world.client(world.alice).post(
        settings, {"min_group_size": "3", "min_tie_raters": "3", "min_text_group_size": "10"}
    )
    assert page.status_code == 302

    second = services.open_round(services.create_round(world.partnership, "Autumn 2027"))
    _answer(world, second, small=3)
    second = _close_through_the_web(world, second)
    # At k = 3 every organisation is its own unit in the second round...
    assert not any(u["combined"] for u in second.result["units"])
    trend = second.result["trend"]
    compared = {tuple(u["organisations"]) for u in trend["units"]}
    # ...but the two merged in the first round have no trend of their own.
    assert compared == {("Northshire County Council",), ("Northshire Police",)}
    # The "previous" figures are the ones the first round published, to the digit.
    police = next(u for u in trend["units"] if u["name"] == "Northshire Police")
    for code, change in police["scales"].items():
        assert change["previous"] == units["Northshire Police"]["scales"][code]["score"]
        assert change["p"] is not None  # Welch's test ran on the stored respondents
    overall = first.result["partnership"]["scales"]
    for code, change in trend["partnership"]["scales"].items():
        assert change["previous"] == overall[code]["score"]
    # The results page names no previous figure for them either.
    page = world.client(world.alice).get(
        f"/partnerships/{world.partnership.pk}/rounds/{second.pk}/results/"
    )
    assert page.status_code == 200


def test_a_renamed_organisation_keeps_its_trend(world) -> None:
    first = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    _answer(world, first, small=2)
    _close_through_the_web(world, first)
    police = world.org("Northshire Police")
    police.name = "Northshire Constabulary"
    police.save()
    second = services.open_round(services.create_round(world.partnership, "Autumn 2027"))
    _answer(world, second, small=2)
    second = _close_through_the_web(world, second)
    names = {u["name"] for u in second.result["trend"]["units"]}
    assert "Northshire Constabulary" in names
    # The merged group is the same two organisations both times: compared as a group only.
    assert "Other organisations" in names
