"""Nobody sees or changes another partnership's pages: every URL is checked."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from joinedup.actions import commitments, meetings, working
from joinedup.actions import services as actions
from joinedup.partnerships.models import Membership
from joinedup.surveys import services
from joinedup.surveys.models import Invitation, Round
from tests.web.survey_steps import invite


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, Any]]:
    """Every URL pattern of the site as (route, pattern)."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry))
    return found


PARTNERSHIP_ROUTES = [route for route, _ in _patterns() if "<int:partnership_id>" in route]


def _fill(route: str, values: dict[str, int]) -> str:
    url = "/" + route.replace("<str:kind>", "json").replace("<slug:section>", "network")
    for name, value in values.items():
        url = url.replace(f"<int:{name}>", str(value))
    assert "<" not in url, f"no test value for a parameter of {route}"
    return url


@pytest.fixture
def northshire_ids(world) -> dict[str, int]:
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    invite(survey_round, [("x@example.org", world.org("Northshire Police"))])
    membership = Membership.objects.get(partnership=world.partnership, user=world.carol)
    ids = {
        "partnership_id": world.partnership.pk,
        "round_id": survey_round.pk,
        "organisation_id": world.org("Northshire Police").pk,
        "membership_id": membership.pk,
        "member_id": membership.pk,
        "invitation_id": Invitation.objects.get().pk,
        "pk": world.org("Northshire Police").pk,
    }
    police, council = world.org("Northshire Police"), world.org("Northshire County Council")
    meeting = meetings.create_meeting(world.partnership, "Board", datetime.date(2027, 4, 14))
    ids |= {
        "action_id": actions.create_action(
            world.partnership, area="commitment", title="N", owner=police
        ).pk,
        "meeting_id": meeting.pk,
        "item_id": meetings.add_item(meeting, "Discharge", "what_matters", 30).pk,
        "commitment_id": commitments.create_commitment(
            world.partnership, police, "money", "Fund", Decimal(1000)
        ).pk,
        "conversation_id": working.plan_conversation(
            world.partnership, police, council, "mutual_low_trust"
        ).pk,
    }
    return ids


def test_there_are_partnership_pages_to_check() -> None:
    assert len(PARTNERSHIP_ROUTES) >= 10


@pytest.mark.parametrize("route", PARTNERSHIP_ROUTES)
def test_a_member_of_another_partnership_cannot_see_or_change_this_page(
    route: str, world, northshire_ids
) -> None:
    url = _fill(route, northshire_ids)
    dave = world.client(world.dave)
    before = (Round.objects.count(), Invitation.objects.count(), Membership.objects.count())
    assert dave.get(url).status_code in {403, 404}
    posted = dave.post(url, {"label": "Hijack", "people": "z@example.org, Northshire Police"})
    assert posted.status_code in {403, 404, 405}
    after = (Round.objects.count(), Invitation.objects.count(), Membership.objects.count())
    assert before == after


@pytest.mark.parametrize("route", PARTNERSHIP_ROUTES)
def test_someone_signed_out_is_sent_to_sign_in(route: str, world, northshire_ids) -> None:
    response = world.client(None).get(_fill(route, northshire_ids))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


OBJECT_ROUTES = [route for route in PARTNERSHIP_ROUTES if route.count("<int:") > 1]


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_a_facilitator_cannot_reach_another_partnership_s_objects_through_their_own(
    route: str, world, northshire_ids
) -> None:
    # Dave's own partnership id, with the ids of Northshire's round, organisation or member.
    url = _fill(route, northshire_ids | {"partnership_id": world.other.pk})
    dave = world.client(world.dave)
    assert dave.get(url).status_code in {404, 405}  # 405: a page that only takes POST
    before = (Round.objects.count(), Invitation.objects.count(), Membership.objects.count())
    assert dave.post(url, {"label": "Hijack"}).status_code == 404
    assert before == (Round.objects.count(), Invitation.objects.count(), Membership.objects.count())


FACILITATOR_ONLY = [
    "partnerships/<int:partnership_id>/rounds/new/",
    "partnerships/<int:partnership_id>/rounds/<int:round_id>/close/",
    "partnerships/<int:partnership_id>/rounds/<int:round_id>/import/",
    "partnerships/<int:partnership_id>/rounds/<int:round_id>/open-links/",
]


@pytest.mark.parametrize("route", FACILITATOR_ONLY)
def test_viewers_and_partner_leads_cannot_run_rounds(route: str, world, northshire_ids) -> None:
    url = _fill(route, northshire_ids)
    for user in (world.bob, world.carol):
        assert world.client(user).get(url).status_code == 403
    assert world.client(world.alice).get(url).status_code == 200


def test_a_viewer_cannot_invite_people(world, northshire_ids) -> None:
    url = _fill("partnerships/<int:partnership_id>/rounds/<int:round_id>/invite/", northshire_ids)
    carol = world.client(world.carol)
    assert carol.get(url).status_code == 403
    assert carol.post(url, {"people": "new@example.org, Northshire Police"}).status_code == 403
    assert not Invitation.objects.filter(email="new@example.org").exists()


def test_a_partner_lead_invites_only_for_their_own_organisation(world, northshire_ids) -> None:
    url = _fill("partnerships/<int:partnership_id>/rounds/<int:round_id>/invite/", northshire_ids)
    bob = world.client(world.bob)
    page = bob.post(url, {"people": "spy@example.org, Northshire County Council"})
    assert page.status_code == 200
    assert "is not one of this partnership" in page.content.decode()
    assert not Invitation.objects.filter(email="spy@example.org").exists()
    bob.post(url, {"people": "officer@example.org, Northshire Police"})
    assert Invitation.objects.filter(email="officer@example.org").exists()


def test_a_viewer_sees_results_and_counts_but_no_email_addresses(world, northshire_ids) -> None:
    url = _fill("partnerships/<int:partnership_id>/rounds/<int:round_id>/", northshire_ids)
    page = world.client(world.carol).get(url).content.decode()
    assert "Answers by organisation" in page
    assert "x@example.org" not in page
    assert "x@example.org" in world.client(world.alice).get(url).content.decode()
