"""The relationship network: trust and value, ties, raters and who is in it (SPEC §4.1-4, §4.6).

Expected figures are worked by hand: a composite is the mean of its answered
ratings (1-4), normalised (x - 1) / 3 * 100, so (4, 4, 4) is 100, (2, 3) is
50, (1, 2, 4) is 400/9, (3, 3, 3) is 200/3 and (1, 1, 1) is 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from joinedup.analysis.network import composite
from tests.analysis.network_support import TRUST, VALUE, member, network, rated, rated_by, tie
from tests.factories import org_respondents, organisation, response, result

NAN = math.nan


# ------------------------------------------------------------------ composites


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ((4, 4, 4), 100.0),
        ((1, 1, 1), 0.0),
        ((3, 3, 3), 200 / 3),
        ((2, 3, NAN), 50.0),
        ((NAN, 1, 4), 50.0),
        ((1, 2, 4), 400 / 9),
        ((4, NAN, NAN), NAN),
        ((NAN, NAN, NAN), NAN),
    ],
)
@pytest.mark.parametrize("codes", [TRUST, VALUE])
def test_composite_is_normalised_mean_of_at_least_two_ratings(codes, ratings, expected):
    frame = pd.DataFrame([ratings], columns=list(codes), dtype=np.float64)
    got = composite(frame, codes)
    if math.isnan(expected):
        assert math.isnan(got[0])
    else:
        assert got[0] == pytest.approx(expected)


def test_trust_and_value_of_a_tie_in_the_result():
    # Three of Alder's respondents give the same ratings, so each tie's mean is
    # one rating's value and the tie is shown (3 raters, Alder its own unit at k = 3).
    def three(partner: str, trust: tuple, value: tuple) -> list[dict[str, str]]:
        return rated_by("Alder", partner, trust=trust, value=value)

    section = network(
        org_respondents("Alder", 3),
        three("Birch", (4, 4, 4), (1, 1, 1))
        + three("Cedar", (2, 3, None), (1, 2, 4))
        + three("Damson", (4, "", "DK"), (3, 3, None)),
        min_group_size=3,
    )
    birch = tie(section, "Alder", "Birch")
    assert birch is not None
    assert birch["trust"] == pytest.approx(100.0)
    assert birch["value"] == pytest.approx(0.0)
    cedar = tie(section, "Alder", "Cedar")
    assert cedar is not None
    assert cedar["trust"] == pytest.approx(50.0)
    assert cedar["value"] == pytest.approx(400 / 9)
    # One trust rating answered: trust is missing, but value still makes them raters.
    damson = tie(section, "Alder", "Damson")
    assert damson is not None
    assert damson["trust"] is None
    assert damson["value"] == pytest.approx(200 / 3)
    assert damson["raters"] == 3
    assert damson["shown"] is True


def test_one_answered_rating_of_each_composite_makes_no_rater():
    section = network(
        [response("A1", "Alder")],
        [rated("A1", "Alder", "Birch", trust=(4, None, None), value=(None, None, 2))],
    )
    birch = tie(section, "Alder", "Birch")
    assert birch is not None
    assert birch["raters"] == 0
    assert birch["trust"] is None
    assert birch["value"] is None


# -------------------------------------------------------------------- contact


def test_contact_zero_makes_no_tie_and_its_ratings_are_ignored():
    # Alder-0 says it never works with Birch (its 1s are ignored); Alder-1..3
    # work with Birch weekly and trust it fully: 3 raters, trust and value 100.
    section = network(
        org_respondents("Alder", 4),
        [
            rated("Alder-0", "Alder", "Birch", trust=(1, 1, 1), value=(1, 1, 1), contact=0),
            *rated_by("Alder", "Birch", first=1, trust=(4, 4, 4), value=(4, 4, 4), contact=4),
            rated("Alder-0", "Alder", "Cedar", trust=(4, 4, 4), value=(4, 4, 4), contact=0),
        ],
        min_group_size=3,
    )
    birch = tie(section, "Alder", "Birch")
    assert birch is not None
    assert birch["raters"] == 3
    assert birch["trust"] == pytest.approx(100.0)
    assert birch["value"] == pytest.approx(100.0)
    assert tie(section, "Alder", "Cedar") is None
    assert member(section, "Cedar")["trust_received"] is None
    assert member(section, "Cedar")["degree"] == 0
    # Only Alder -> Birch exists among 3 organisations: 1 / (3 * 2).
    assert section["density"] == pytest.approx(1 / 6)


def test_contact_never_as_a_label_makes_no_tie():
    section = network(
        [response("A1", "Alder")],
        [rated("A1", "Alder", "Birch", contact="Never"), rated("A1", "Alder", "Cedar")],
    )
    assert tie(section, "Alder", "Birch") is None
    assert tie(section, "Alder", "Cedar") is not None


@pytest.mark.parametrize("contact", ["", "DK", "Don't know"])
def test_blank_or_unknown_contact_still_makes_a_tie(contact):
    section = network(
        org_respondents("Alder", 3),
        rated_by("Alder", "Birch", trust=(3, 3, 3), value=(2, 3), contact=contact),
        min_group_size=3,
    )
    birch = tie(section, "Alder", "Birch")
    assert birch is not None
    assert birch["raters"] == 3
    assert birch["trust"] == pytest.approx(200 / 3)
    assert birch["value"] == pytest.approx(50.0)
    assert section["density"] == pytest.approx(0.5)


def test_row_with_every_rating_blank_still_names_a_partner():
    section = network(
        [response("A1", "Alder")],
        [rated("A1", "Alder", "Birch", trust=(None, None, None), value=("DK", "", None))],
    )
    birch = tie(section, "Alder", "Birch")
    assert birch is not None
    assert birch["raters"] == 0
    assert birch["shown"] is False
    assert birch["trust"] is None
    assert birch["value"] is None
    assert member(section, "Birch")["degree"] == 1
    assert section["density"] == pytest.approx(0.5)
    assert not [f for f in section["flags"] if f["type"] == "isolate"]


# ------------------------------------------------------- raters and showing


def test_tie_trust_and_value_are_means_over_its_raters():
    section = network(
        org_respondents("Alder", 4),
        [
            # trust 100, value missing (one rating)
            rated("Alder-0", "Alder", "Birch", trust=(4, 4, 4), value=(2, None, None)),
            # trust missing, value 0
            rated("Alder-1", "Alder", "Birch", trust=(None, None, 3), value=(1, 1, 1)),
            # trust 50, value 100
            rated("Alder-2", "Alder", "Birch", trust=(2, 3, None), value=(4, 4, 4)),
            # no trust, no value: names Birch but is not a rater
            rated("Alder-3", "Alder", "Birch", trust=(), value=()),
        ],
        min_group_size=3,
    )
    birch = tie(section, "Alder", "Birch")
    assert birch is not None
    assert birch["raters"] == 3
    assert birch["trust"] == pytest.approx(75.0)
    assert birch["value"] == pytest.approx(50.0)


def test_tie_is_shown_only_with_enough_raters():
    # Alder and Cedar are each their own unit (3 respondents, k = 3). Alder has
    # 2 raters of Birch: (100 + 50) / 2 = 75 trust, (100 + 0) / 2 = 50 value.
    # Cedar has 1 rater of Birch.
    responses = org_respondents("Alder", 3) + org_respondents("Cedar", 3)
    relationships = [
        rated("Alder-0", "Alder", "Birch", trust=(4, 4, 4), value=(4, 4, 4)),
        rated("Alder-1", "Alder", "Birch", trust=(2, 3), value=(1, 1, 1)),
        rated("Alder-2", "Alder", "Birch", trust=(), value=()),
        rated("Cedar-0", "Cedar", "Birch", trust=(1, 1, 1), value=(1, 1, 1)),
    ]
    section = network(responses, relationships, min_group_size=3, min_tie_raters=2)

    alder = tie(section, "Alder", "Birch")
    assert alder is not None
    assert (alder["raters"], alder["shown"]) == (2, True)
    assert alder["trust"] == pytest.approx(75.0)
    assert alder["value"] == pytest.approx(50.0)

    cedar = tie(section, "Cedar", "Birch")
    assert cedar is not None
    assert (cedar["raters"], cedar["shown"]) == (1, False)
    assert cedar["trust"] is None
    assert cedar["value"] is None

    # At the default of 3 raters, Alder's two are too few as well.
    default = network(responses, relationships, min_group_size=3)
    alder = tie(default, "Alder", "Birch")
    assert alder is not None
    assert (alder["raters"], alder["shown"], alder["trust"], alder["value"]) == (
        2,
        False,
        None,
        None,
    )
    assert default["mean_trust"] is None


def test_tie_not_shown_still_exists_but_its_values_enter_no_figure():
    # Alder -> Birch has two raters (shown); Cedar -> Birch, Birch -> Alder and
    # Birch -> Cedar have one each (not shown). Every organisation is its own unit.
    responses = (
        org_respondents("Alder", 6, answer=3)
        + org_respondents("Birch", 7, answer=3)
        + org_respondents("Cedar", 5, answer=3)
    )
    relationships = [
        rated("Alder-0", "Alder", "Birch", trust=(4, 4, 4), value=(4, 4, 4)),
        rated("Alder-1", "Alder", "Birch", trust=(4, 4, 4), value=(4, 4, 4)),
        rated("Cedar-0", "Cedar", "Birch", trust=(1, 1, 1), value=(1, 1, 1)),
        rated("Birch-0", "Birch", "Alder", trust=(1, 1, 1), value=(1, 1, 1)),
        rated("Birch-0", "Birch", "Cedar", trust=(1, 1, 1), value=(1, 1, 1)),
    ]
    full = result(responses, relationships, min_tie_raters=2)
    section = full["network"]

    # Existence: all four ties count, shown or not.
    assert section["density"] == pytest.approx(4 / 6)
    assert section["reciprocity"] == pytest.approx(1.0)
    assert [member(section, name)["degree"] for name in ("Alder", "Birch", "Cedar")] == [1, 2, 1]

    # Values: only Alder -> Birch (100, 100) is shown.
    assert section["mean_trust"] == pytest.approx(100.0)
    assert section["mean_value"] == pytest.approx(100.0)
    birch = member(section, "Birch")
    assert birch["trust_received"] == pytest.approx(100.0)
    assert birch["value_received"] == pytest.approx(100.0)
    assert birch["trust_given"] is None
    assert birch["value_given"] is None
    cedar = member(section, "Cedar")
    assert cedar["trust_given"] is None
    assert cedar["trust_received"] is None
    assert cedar["value_received"] is None
    alder = member(section, "Alder")
    assert alder["trust_given"] == pytest.approx(100.0)
    assert alder["trust_received"] is None
    assert alder["value_received"] is None

    # Hidden Birch -> Alder (trust 0 against 100) and Birch <-> Cedar (0 both
    # ways) would be asymmetric and mutually low-trust if their values counted.
    assert [f for f in section["flags"] if f["type"] != "isolate"] == []

    # Perception gaps: Birch's value received is 100 (Cedar's hidden 0 left out);
    # every unit's COMMIT is 50 (all answers 3).
    gaps = {g["organisation"]: g for g in full["perception_gaps"]}
    assert gaps["Birch"]["value_received"] == pytest.approx(100.0)
    assert gaps["Birch"]["gap"] == pytest.approx(-50.0)
    assert gaps["Alder"]["value_received"] is None
    assert gaps["Alder"]["gap"] is None
    assert gaps["Alder"]["flagged"] is False
    assert gaps["Cedar"]["gap"] is None


# ------------------------------------------------ received and given, means


def test_trust_received_weighs_each_rating_organisation_the_same():
    # Ten respondents of Alder trust Birch fully; three of Cedar not at all.
    # Both are their own unit at k = 3.
    responses = org_respondents("Alder", 10) + org_respondents("Cedar", 3)
    relationships = rated_by("Alder", "Birch", 10, trust=(4, 4, 4), value=(4, 4, 4))
    relationships += rated_by("Cedar", "Birch", trust=(1, 1, 1), value=(1, 1, 1))
    section = network(responses, relationships, min_group_size=3)

    assert tie(section, "Alder", "Birch")["raters"] == 10
    birch = member(section, "Birch")
    # (100 + 0) / 2, not (10 * 100 + 3 * 0) / 13.
    assert birch["trust_received"] == pytest.approx(50.0)
    assert birch["value_received"] == pytest.approx(50.0)
    assert section["mean_trust"] == pytest.approx(50.0)
    assert section["mean_value"] == pytest.approx(50.0)


def test_trust_given_is_the_mean_of_ties_out_not_of_ratings():
    # Birch (5 respondents, its own unit): three trust Alder fully, two trust
    # Cedar not at all; both ties shown at min_tie_raters 2.
    responses = org_respondents("Birch", 5)
    relationships = rated_by("Birch", "Alder", 3, trust=(4, 4, 4), value=(3, 3, 3))
    relationships += rated_by("Birch", "Cedar", 2, first=3, trust=(1, 1, 1), value=(2, 3))
    birch = member(network(responses, relationships, min_tie_raters=2), "Birch")
    # (100 + 0) / 2, not (3 * 100 + 2 * 0) / 5 = 60; value (200/3 + 50) / 2.
    assert birch["trust_given"] == pytest.approx(50.0)
    assert birch["value_given"] == pytest.approx((200 / 3 + 50) / 2)


def test_received_and_given_over_several_ties():
    # Each organisation has three respondents (its own unit at k = 3) who all
    # give the same ratings, so each tie has 3 raters and one rating's value.
    responses = (
        org_respondents("Alder", 3) + org_respondents("Birch", 3) + org_respondents("Cedar", 3)
    )
    relationships = [
        *rated_by("Alder", "Birch", trust=(4, 4, 4), value=(1, 1, 1)),  # 100, 0
        *rated_by("Alder", "Cedar", trust=(2, 3), value=(3, 3, 3)),  # 50, 200/3
        *rated_by("Birch", "Cedar", trust=(1, 2, 4), value=(4, 4)),  # 400/9, 100
        *rated_by("Cedar", "Alder", trust=(1, 1, 1), value=(2, 3)),  # 0, 50
    ]
    section = network(responses, relationships, min_group_size=3)
    alder, birch, cedar = (member(section, n) for n in ("Alder", "Birch", "Cedar"))
    assert alder["trust_given"] == pytest.approx(75.0)
    assert alder["value_given"] == pytest.approx(100 / 3)
    assert alder["trust_received"] == pytest.approx(0.0)
    assert alder["value_received"] == pytest.approx(50.0)
    assert birch["trust_received"] == pytest.approx(100.0)
    assert birch["value_received"] == pytest.approx(0.0)
    assert cedar["trust_received"] == pytest.approx((50 + 400 / 9) / 2)
    assert cedar["value_received"] == pytest.approx((200 / 3 + 100) / 2)
    assert cedar["trust_given"] == pytest.approx(0.0)
    assert section["mean_trust"] == pytest.approx((100 + 50 + 400 / 9 + 0) / 4)
    assert section["mean_value"] == pytest.approx((0 + 200 / 3 + 100 + 50) / 4)


# ------------------------------------------------------- who is in the network


def test_organisations_are_respondents_and_partners_named():
    section = network(
        [response("A1", "Alder"), response("B1", "Birch")],
        [
            rated("A1", "Alder", "Cedar"),
            rated("A1", "Alder", "Damson", contact=0),  # named, even without a tie
        ],
    )
    assert sorted(section["organisations"]) == ["Alder", "Birch", "Cedar", "Damson"]
    assert sorted(m["organisation"] for m in section["members"]) == sorted(section["organisations"])


def test_organisations_include_members_listed_with_no_answers():
    section = network(
        [response("A1", "Alder"), response("B1", "Birch")],
        [rated("A1", "Alder", "Cedar")],
        [organisation(name) for name in ("Alder", "Birch", "Cedar", "Elm")],
    )
    assert sorted(section["organisations"]) == ["Alder", "Birch", "Cedar", "Elm"]
    # Four organisations: one tie among 4 * 3 possible.
    assert section["density"] == pytest.approx(1 / 12)


def test_organisation_names_match_ignoring_case_and_spaces():
    section = network(
        [response("A1", "Alder Council"), response("B1", "birch trust")],
        [
            rated("A1", " ALDER COUNCIL", "Birch Trust "),
            rated("B1", "Birch Trust", "alder council"),
        ],
    )
    assert len(section["organisations"]) == 2
    assert len(section["ties"]) == 2
    assert section["reciprocity"] == pytest.approx(1.0)
