"""The read-only API: tokens, role checks, the result document, the audit log and limits."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from joinedup.api import services as api
from joinedup.instrument import load_instrument
from joinedup.results.models import Download
from joinedup.surveys import services
from joinedup.surveys.models import Response, Round

INSTRUMENT = load_instrument()


def respond(survey_round: Round, organisation: Any, count: int, answer: int, **extra: Any) -> None:
    """`count` people of `organisation` answer every statement `answer`."""
    for _ in range(count):
        partner = survey_round.partnership.organisations.exclude(pk=organisation.pk).first()
        ratings = dict.fromkeys(INSTRUMENT.rating_codes, 3)
        Response.objects.create(
            round=survey_round,
            organisation=organisation,
            role="manager",
            answers=dict.fromkeys(INSTRUMENT.item_codes, answer),
            ratings=[{"partner": partner.pk, "contact": 3, **ratings}],
            **extra,
        )


@pytest.fixture
def closed(world) -> Round:
    """A closed round: Police (6) on its own; Age Well (2) and the Council (5) combined."""
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    respond(survey_round, world.org("Northshire Police"), 6, 4)
    respond(survey_round, world.org("Northshire County Council"), 5, 2)
    respond(survey_round, world.org("Age Well Northshire"), 2, 5, text_important="Call me")
    return services.close_round(survey_round)


@pytest.fixture
def secrets(world) -> dict[str, str]:
    """A token for each persona, by name."""
    return {
        name: api.create_token(getattr(world, name), f"{name}'s dashboard")[1]
        for name in ("alice", "bob", "carol", "dave")
    }


def call(secret: str | None, url: str, method: str = "get") -> Any:
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    return getattr(Client(), method)(url, headers=headers)


def body(response: Any) -> Any:
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    return json.loads(response.content)


def urls(world, survey_round: Round) -> list[str]:
    base = f"/api/v1/partnerships/{world.partnership.pk}"
    return [base, f"{base}/rounds", f"{base}/rounds/{survey_round.pk}/result"]


# ---------------------------------------------------------------- reading


def test_a_person_lists_their_partnerships_with_their_role(world, secrets) -> None:
    for name, role in (("alice", "facilitator"), ("bob", "partner_lead"), ("carol", "viewer")):
        answer = body(call(secrets[name], "/api/v1/partnerships"))
        assert answer == {
            "partnerships": [{"id": world.partnership.pk, "name": "Northshire", "role": role}]
        }
    dave = body(call(secrets["dave"], "/api/v1/partnerships"))
    assert [p["name"] for p in dave["partnerships"]] == ["Southvale"]


def test_a_partnership_has_its_thresholds_and_organisations(world, secrets) -> None:
    world.partnership.description = "Health and care in Northshire"
    world.partnership.save()
    answer = body(call(secrets["carol"], f"/api/v1/partnerships/{world.partnership.pk}"))
    assert answer["name"] == "Northshire"
    assert answer["description"] == "Health and care in Northshire"
    assert answer["role"] == "viewer"
    assert answer["thresholds"] == {
        "min_group_size": 5,
        "min_tie_raters": 3,
        "min_text_group_size": 10,
    }
    assert {(o["name"], o["sector"]) for o in answer["organisations"]} == {
        ("Age Well Northshire", "voluntary"),
        ("Northshire County Council", "local_government"),
        ("Northshire NHS Foundation Trust", "health"),
        ("Northshire Police", "police"),
    }


def test_rounds_give_respondents_and_position_only_once_closed(world, secrets, closed) -> None:
    later = services.open_round(services.create_round(world.partnership, "Autumn 2027"))
    respond(later, world.org("Northshire Police"), 3, 4)
    answer = body(call(secrets["bob"], f"/api/v1/partnerships/{world.partnership.pk}/rounds"))
    spring, autumn = answer["rounds"]
    assert spring["id"] == closed.pk
    assert spring["status"] == "closed"
    assert spring["respondents"] == 13 == closed.result["respondents"]
    assert spring["position"] == closed.result["partnership"]["position"] is not None
    assert spring["opened_at"] and spring["closed_at"]
    # No live count of an open round: it would show when each person answered.
    assert autumn == {
        "id": later.pk,
        "label": "Autumn 2027",
        "status": "open",
        "opened_at": later.opened_at.isoformat(),
        "closed_at": None,
        "respondents": None,
        "position": None,
    }


def test_the_result_is_the_stored_document_exactly(world, secrets, closed) -> None:
    for name in ("alice", "bob", "carol"):
        response = call(secrets[name], urls(world, closed)[2])
        assert response.status_code == 200
        assert body(response) == closed.result
    assert closed.result["schema"] == "joinedup.analysis/1"


def test_every_result_fetch_is_in_the_download_log_as_an_api_download(
    world, secrets, closed
) -> None:
    call(secrets["carol"], urls(world, closed)[2])
    call(secrets["carol"], urls(world, closed)[2])
    call(secrets["carol"], urls(world, closed)[1])  # the list of rounds is not a download
    logged = list(Download.objects.all())
    assert len(logged) == 2
    assert {(d.user, d.partnership, d.round, d.what, d.via) for d in logged} == {
        (world.carol, world.partnership, closed, "json", "api")
    }
    page = world.client(world.alice).get(f"/partnerships/{world.partnership.pk}/downloads/")
    assert "carol@example.org" in page.content.decode() and "API" in page.content.decode()


def test_a_round_has_no_result_until_it_closes(world, secrets, open_round) -> None:
    response = call(secrets["alice"], urls(world, open_round)[2])
    assert response.status_code == 404
    assert "error" in body(response)
    assert not Download.objects.exists()


def test_no_answer_holds_an_individual_response(world, secrets, closed) -> None:
    later = services.open_round(services.create_round(world.partnership, "Autumn 2027"))
    respond(later, world.org("Northshire Police"), 2, 1, text_important="Call me")
    everything = "".join(
        call(secrets["alice"], url).content.decode()
        for url in ["/api/v1/partnerships", *urls(world, closed), urls(world, later)[1]]
    )
    for response in Response.objects.all():
        assert str(response.id) not in everything
    # Two people wrote a comment: fewer than min_text_group_size, so it is not shown.
    assert "Call me" not in everything
    # Age Well has 2 respondents: merged, so it has no unit of its own.
    assert "Age Well Northshire" not in [u["name"] for u in closed.result["units"]]


# --------------------------------------------------------- who may see what


@pytest.mark.parametrize("tail", ["", "/rounds", "/rounds/{round}/result"])
def test_a_member_of_another_partnership_gets_not_found(world, secrets, closed, tail) -> None:
    url = f"/api/v1/partnerships/{world.partnership.pk}" + tail.format(round=closed.pk)
    response = call(secrets["dave"], url)
    assert response.status_code == 404
    assert body(response) == {"error": "Not found."}


def test_a_round_is_found_only_under_its_own_partnership(world, secrets, closed) -> None:
    # Dave's own partnership id with Northshire's round id.
    url = f"/api/v1/partnerships/{world.other.pk}/rounds/{closed.pk}/result"
    assert call(secrets["dave"], url).status_code == 404
    assert not Download.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partnerships/0",
        "/api/v1/partnerships/999999",
        "/api/v1/partnerships/99999999999999999999999",
        "/api/v1/partnerships/abc/rounds",
        "/api/v1/partnerships/1/rounds/99999999999999999999/result",
        "/api/v1/nothing-here",
        "/api/v1/partnerships/%0A%F4%81%80%AB%C2%AA/rounds",  # a newline in it (found by fuzzing)
    ],
)
def test_unknown_addresses_are_json_not_found(world, secrets, url) -> None:
    response = call(secrets["alice"], url)
    assert response.status_code == 404
    assert body(response) == {"error": "Not found."}


# ---------------------------------------------------------------- tokens


@pytest.mark.parametrize("tail", ["", "/{p}", "/{p}/rounds", "/{p}/rounds/{r}/result"])
@pytest.mark.parametrize(
    ("authorization", "invalid"),
    [
        (None, False),
        ("", False),
        ("Basic YWxpY2U6cGFzc3dvcmQ=", False),
        ("Bearer", False),
        ("Bearer not-a-real-token", True),
    ],
)
def test_a_missing_or_unknown_token_is_refused(world, closed, tail, authorization, invalid) -> None:
    url = "/api/v1/partnerships" + tail.format(p=world.partnership.pk, r=closed.pk)
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = Client().get(url, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert ('error="invalid_token"' in response["WWW-Authenticate"]) is invalid
    assert set(body(response)) == {"error"}


def test_a_revoked_token_is_refused(world, secrets) -> None:
    assert call(secrets["alice"], "/api/v1/partnerships").status_code == 200
    api.revoke_token(api.authenticate(secrets["alice"]))
    response = call(secrets["alice"], "/api/v1/partnerships")
    assert response.status_code == 401
    assert "revoked" in body(response)["error"]


def test_a_deactivated_persons_token_is_refused(world, secrets) -> None:
    world.carol.is_active = False
    world.carol.save()
    assert call(secrets["carol"], "/api/v1/partnerships").status_code == 401


def test_a_signed_in_session_is_not_a_token(world) -> None:
    response = world.client(world.alice).get("/api/v1/partnerships")
    assert response.status_code == 401


def test_a_token_remembers_when_it_was_last_used(world, secrets) -> None:
    token = api.authenticate(secrets["bob"])
    token.last_used_at = None
    token.save()
    call(secrets["bob"], "/api/v1/partnerships")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_sees_its_owners_partnerships_as_they_change(world, secrets) -> None:
    world.partnership.memberships.filter(user=world.carol).delete()
    assert call(secrets["carol"], f"/api/v1/partnerships/{world.partnership.pk}").status_code == 404
    assert body(call(secrets["carol"], "/api/v1/partnerships")) == {"partnerships": []}


# ---------------------------------------------------------- methods, limits


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "head", "options"])
def test_only_get_is_allowed(world, secrets, closed, method) -> None:
    for url in ["/api/v1/partnerships", *urls(world, closed)]:
        response = call(secrets["alice"], url, method)
        assert response.status_code == 405
        assert response["Allow"] == "GET"
        if method != "head":
            assert body(response) == {"error": "This API is read-only: use GET."}
    assert not Download.objects.exists()


def test_each_token_is_rate_limited(world, secrets, settings) -> None:
    settings.RATE_LIMIT_API = 3
    codes = [call(secrets["alice"], "/api/v1/partnerships").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = call(secrets["alice"], "/api/v1/partnerships")
    assert refused["Retry-After"] == "60"
    assert "Too many requests" in body(refused)["error"]
    # The limit is per token: Alice's other token, and Bob's, still work.
    _, another = api.create_token(world.alice, "Another")
    assert call(another, "/api/v1/partnerships").status_code == 200
    assert call(secrets["bob"], "/api/v1/partnerships").status_code == 200


# ------------------------------------------------------------- description


def test_the_openapi_description_covers_every_endpoint(world) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    description = body(response)
    assert description["openapi"].startswith("3.1")
    assert set(description["paths"]) == {
        "/partnerships",
        "/partnerships/{partnership_id}",
        "/partnerships/{partnership_id}/rounds",
        "/partnerships/{partnership_id}/rounds/{round_id}/result",
        "/openapi.json",
    }
    assert description["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token from the API tokens page.",
    }
    assert description["servers"] == [{"url": "/api/v1"}]
