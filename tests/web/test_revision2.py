"""SPEC revision 2 in the web app: a merged organisation's view of its partners
reaches no page, download or API answer, and results stored under revision 1
are recomputed by a data migration without losing anything else.

The partnership: the Council (6) and the NHS trust (7) are their own units;
Police (3) is merged into "Other organisations", and so is Age Well (5, the
smallest own unit) to make that group 8. Police's three respondents all rate
the Council 4 on everything (trust and value 100).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import networkx as nx
import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from joinedup.analysis import Settings
from joinedup.api import services as api
from joinedup.instrument import load_instrument
from joinedup.partnerships.models import Membership, Partnership, Role
from joinedup.surveys import services
from joinedup.surveys.models import Response, Round

INSTRUMENT = load_instrument()
COUNCIL, NHS = "Northshire County Council", "Northshire NHS Foundation Trust"
POLICE, AGE_WELL = "Northshire Police", "Age Well Northshire"
SIZES = {COUNCIL: 6, NHS: 7, POLICE: 3, AGE_WELL: 5}
# Who rates whom, with one rating for every code: (rater, partner, raters, rating).
RATINGS = [(POLICE, COUNCIL, 3, 4), (COUNCIL, POLICE, 3, 2), (NHS, COUNCIL, 3, 3)]


def answer(survey_round: Any, organisations: dict[str, Any], models: tuple[Any, Any]) -> None:
    """Store the responses and ratings, through whichever models are given.

    The migration test passes historical models, the other tests today's.
    """
    response_model, rating_model = models
    people: dict[str, list[Any]] = {}
    for name, size in SIZES.items():
        people[name] = [
            response_model.objects.create(
                round=survey_round,
                organisation=organisations[name],
                role="manager",
                answers=dict.fromkeys(INSTRUMENT.item_codes, 3),
            )
            for _ in range(size)
        ]
    for rater, partner, count, value in RATINGS:
        for person in people[rater][:count]:
            scores = {"contact": 3, **dict.fromkeys(INSTRUMENT.rating_codes, value)}
            if rating_model is None:  # today's: the ratings are inside the response
                person.ratings.append({"partner": organisations[partner].pk, **scores})
                person.save(update_fields=["ratings"])
            else:
                rating_model.objects.create(
                    response=person, partner=organisations[partner], **scores
                )


def police_tie(result: dict[str, Any]) -> dict[str, Any]:
    return next(t for t in result["network"]["ties"] if t["from"] == POLICE)


def police_member(result: dict[str, Any]) -> dict[str, Any]:
    return next(m for m in result["network"]["members"] if m["organisation"] == POLICE)


def assert_no_police_view(result: dict[str, Any]) -> None:
    """Police's tie exists, with no value; Police gives nothing; no flag names it."""
    tie = police_tie(result)
    assert (tie["to"], tie["shown"], tie["trust"], tie["value"]) == (COUNCIL, False, None, None)
    member = police_member(result)
    assert (member["trust_given"], member["value_given"]) == (None, None)
    # What the Council's shown tie gives Police may be named: (2 - 1) / 3 * 100.
    assert member["trust_received"] == pytest.approx(100 / 3)
    assert not [f for f in result["network"]["flags"] if POLICE in (f.get("a"), f.get("b"))]


@pytest.fixture
def closed(world) -> Round:
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    answer(survey_round, world.organisations, (Response, None))
    return services.close_round(survey_round)


def url(world: Any, survey_round: Round, tail: str) -> str:
    return f"/partnerships/{world.partnership.pk}/rounds/{survey_round.pk}/{tail}"


def downloads(world: Any, survey_round: Round, user: Any) -> dict[str, bytes]:
    client = world.client(user)
    got = {}
    for kind in ("json", "csv", "xlsx", "graphml", "pdf"):
        response = client.get(url(world, survey_round, f"download/{kind}/"))
        assert response.status_code == 200, kind
        got[kind] = response.content
    return got


def assert_downloads_hold_no_police_view(got: dict[str, bytes]) -> None:
    assert_no_police_view(json.loads(got["json"]))
    with zipfile.ZipFile(io.BytesIO(got["csv"])) as archive:
        text = archive.read("ties.csv").decode("utf-8-sig")
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["from"] == POLICE]
        members = archive.read("members.csv").decode("utf-8-sig")
        police = next(
            r for r in csv.DictReader(io.StringIO(members)) if r["organisation"] == POLICE
        )
    assert [(r["shown"], r["trust"], r["value"], r["raters"]) for r in rows] == [
        ("false", "", "", "")
    ]
    assert (police["trust_given"], police["value_given"]) == ("", "")
    book = openpyxl.load_workbook(io.BytesIO(got["xlsx"]))
    sheet = list(book["Network ties"].iter_rows(values_only=True))
    header = sheet[0]
    police_rows = [dict(zip(header, r, strict=True)) for r in sheet[1:] if r[0] == POLICE]
    assert [(r["Trust (0-100)"], r["Value (0-100)"], r["Raters"]) for r in police_rows] == [
        (None, None, None)
    ]
    graph = nx.read_graphml(io.BytesIO(got["graphml"]))
    assert graph.edges[POLICE, COUNCIL] == {"shown": False}
    assert "trust_given" not in graph.nodes[POLICE]
    assert got["pdf"].startswith(b"%PDF-")


def test_a_partner_lead_finds_no_merged_organisations_view_in_any_download(world, closed):
    # Bob (partner lead) downloads everything, looking for how Police rated the Council.
    assert_no_police_view(closed.result)
    assert police_tie(closed.result)["raters"] == 3  # enough raters: merged is the reason
    assert_downloads_hold_no_police_view(downloads(world, closed, world.bob))


def test_the_api_gives_a_merged_organisations_ties_null_trust_and_value(world, closed):
    secret = api.create_token(world.carol, "dashboard")[1]
    response = world.client(None).get(
        f"/api/v1/partnerships/{world.partnership.pk}/rounds/{closed.pk}/result",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    assert_no_police_view(json.loads(response.content))


def test_the_results_page_draws_the_tie_without_a_value(world, closed):
    page = world.client(world.bob).get(url(world, closed, "results/network/")).content.decode()
    row = page.split(f"{POLICE} → {COUNCIL}", 1)[1].split("</tr>", 1)[0]
    assert row.count("not shown") == 2
    assert "whose own view of a partner is never shown" in page


def test_closing_a_round_records_revision_2(world, closed):
    assert closed.result_revision == 2
    assert closed.result["settings"]["min_tie_raters"] == 3


# ----------------------------------------------------------- the migration

BEFORE = [("partnerships", "0001_initial"), ("surveys", "0001_initial")]


def revision_1_result(survey_round: Any) -> dict[str, Any]:
    """What revision 1 stored: Police's view shown, an interval over 100, min_tie_raters 1."""
    result = services.round_result(survey_round, Settings(min_group_size=5, min_tie_raters=2))
    police_tie(result).update(shown=True, trust=100.0, value=100.0)
    police_member(result).update(trust_given=100.0, value_given=100.0)
    result["network"]["flags"].append(
        {"type": "asymmetric", "a": COUNCIL, "b": POLICE, "gap": 200 / 3}
    )
    result["partnership"]["scales"]["CASE"]["ci_high"] = 124.0
    result["settings"] = {"min_group_size": 5, "min_tie_raters": 1, "min_text_group_size": 10}
    return result


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema")
def test_the_migration_recomputes_revision_1_results_and_keeps_everything_else(django_user_model):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    partnership_model = old.get_model("partnerships", "Partnership")
    organisation_model = old.get_model("partnerships", "Organisation")
    round_model = old.get_model("surveys", "Round")
    models = (old.get_model("surveys", "Response"), old.get_model("surveys", "Rating"))

    # A partnership as revision 1 left it: min_tie_raters 1, a closed round
    # whose stored result shows Police's view of the Council from its 3 people.
    northshire = partnership_model.objects.create(name="Northshire", min_tie_raters=1)
    careful = partnership_model.objects.create(name="Careful", min_tie_raters=4)
    organisations = {
        name: organisation_model.objects.create(partnership=northshire, name=name, sector="other")
        for name in SIZES
    }
    survey_round = round_model.objects.create(partnership=northshire, label="2026", status="open")
    answer(survey_round, organisations, models)
    stored = revision_1_result(survey_round)
    survey_round.status, survey_round.result = "closed", stored
    survey_round.save()
    draft = round_model.objects.create(partnership=northshire, label="2027")
    cache.set(f"round-figures:{survey_round.pk}:old", {"network-map": "Police trusts 100"}, None)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    recomputed = Round.objects.get(pk=survey_round.pk)
    assert recomputed.result_revision == 2
    assert_no_police_view(recomputed.result)
    assert recomputed.result["settings"] == {
        "min_group_size": 5,
        "min_tie_raters": 3,
        "min_text_group_size": 10,
    }
    assert recomputed.result["partnership"]["scales"]["CASE"]["ci_high"] <= 100
    # Nothing else is lost: the same units, respondents and answers; the draft round.
    assert recomputed.result["respondents"] == stored["respondents"] == sum(SIZES.values())
    assert [u["organisations"] for u in recomputed.result["units"]] == [
        u["organisations"] for u in stored["units"]
    ]
    assert recomputed.result["partnership"]["scales"]["CASE"]["score"] == pytest.approx(
        stored["partnership"]["scales"]["CASE"]["score"]
    )
    assert Response.objects.filter(round=recomputed).count() == sum(SIZES.values())
    assert Round.objects.get(pk=draft.pk).status == "draft"
    assert cache.get(f"round-figures:{survey_round.pk}:old") is None
    assert Partnership.objects.get(pk=northshire.pk).min_tie_raters == 3
    assert Partnership.objects.get(pk=careful.pk).min_tie_raters == 4

    # The round's pages and downloads still open, and hold no view of Police's.
    alice = django_user_model.objects.create(email="alice@example.org", name="Alice")
    Membership.objects.create(partnership_id=northshire.pk, user=alice, role=Role.FACILITATOR)
    from django.test import Client

    client = Client()
    client.force_login(alice, backend="joinedup.accounts.backends.EmailBackend")
    base = f"/partnerships/{northshire.pk}/rounds/{survey_round.pk}/"
    page = client.get(base + "results/")
    assert page.status_code == 200
    assert "Police trusts 100" not in page.content.decode()
    got = {}
    for kind in ("json", "csv", "xlsx", "graphml", "pdf", "responses"):
        response = client.get(f"{base}download/{kind}/")
        assert response.status_code == 200, kind
        got[kind] = response.content
    assert_downloads_hold_no_police_view(got)
    assert client.get(f"/partnerships/{northshire.pk}/").status_code == 200


def test_recomputing_a_revision_2_result_changes_nothing(world, closed):
    from joinedup.surveys.recompute import recompute_closed_round

    before = closed.result
    assert recompute_closed_round(closed) is True
    closed.refresh_from_db()
    assert closed.result == before
    assert closed.result_revision == 2


def test_a_round_that_cannot_be_recomputed_keeps_its_result_without_network_values(world, closed):
    from joinedup.surveys.recompute import recompute_closed_round

    # A stored result with settings revision 2 cannot use (k below 3): it cannot be
    # recomputed, so every network value is withheld and everything else stays.
    damaged = closed.result | {"settings": closed.result["settings"] | {"min_group_size": 2}}
    police_tie(damaged).update(shown=True, trust=100.0)
    closed.result = damaged
    closed.save()
    assert recompute_closed_round(closed) is False
    closed.refresh_from_db()
    network = closed.result["network"]
    assert all((t["shown"], t["trust"], t["value"]) == (False, None, None) for t in network["ties"])
    assert all(m["trust_received"] is None and m["trust_given"] is None for m in network["members"])
    assert network["mean_trust"] is None
    assert closed.result["units"] == damaged["units"]
    assert closed.result["partnership"] == damaged["partnership"]
    assert len(network["ties"]) == len(damaged["network"]["ties"])  # who works with whom stays
    assert world.client(world.alice).get(url(world, closed, "results/")).status_code == 200
