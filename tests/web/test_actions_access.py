"""Who may see and change the action plan.

Every member reads the plan. Facilitators change every action; a partner
lead adds actions for their own organisation and changes and updates only
the actions it owns; a viewer changes nothing (403); a member of another
partnership gets 404 everywhere, by GET and by POST, and changes nothing.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from joinedup.actions import commitments, meetings, services, working
from joinedup.actions.models import Action, ActionUpdate, CalendarFeed
from joinedup.surveys.models import Round, RoundStatus

READ_PAGES = ["plan", "status", "action", "calendar", "calendar-link"]
PLANNER_PAGES = ["add", "from-round"]
CHANGE_PAGES = ["edit", "add-update"]
FACILITATOR_PAGES = ["remove"]

# A POST that would change something if it were allowed.
CHANGES: dict[str, dict[str, Any]] = {
    "add": {"area": "relationships", "title": "Intruder’s action"},
    "from-round": {"area": "relationships"},
    "edit": {"area": "relationships", "title": "Taken over", "status": "done"},
    "add-update": {"text": "Says who?", "status": "done"},
    "remove": {},
    "calendar-link": {},
}

RESULT = {
    "schema": "joinedup.analysis/1",
    "partnership": {"scales": {"TRUST": {"score": 40.0, "band": "concern"}}},
    "recommendations": [
        {
            "action": "relationships",
            "title": "Build the right relationships",
            "priority": 1,
            "scales": ["TRUST"],
            "why": ["Trust between partners scores 40 out of 100 (concern)."],
            "steps": ["Pair up leaders."],
            "figures": [{"scale": "TRUST", "score": 40.0, "favourable": 40.0, "band": "concern"}],
        }
    ],
}


class Plan:
    def __init__(self, world: Any) -> None:
        self.world = world
        self.police = services.create_action(
            world.partnership,
            area="commitment",
            title="Police",
            owner=world.org("Northshire Police"),
        )
        self.council = services.create_action(
            world.partnership,
            area="commitment",
            title="Council",
            owner=world.org("Northshire County Council"),
        )
        self.unowned = services.create_action(world.partnership, area="conversations", title="All")
        self.round = Round.objects.create(
            partnership=world.partnership,
            label="Spring 2027",
            status=RoundStatus.CLOSED,
            closed_at=timezone.now(),
            result=RESULT,
        )

    def url(self, name: str, action: Action | None = None) -> str:
        args: list[Any] = [self.world.partnership.pk]
        if name == "from-round":
            args.append(self.round.pk)
        elif name in {"action", "edit", "add-update", "remove"}:
            args.append((action or self.council).pk)
        return reverse(f"actions:{name}", args=args)

    def state(self) -> tuple[Any, ...]:
        return (
            sorted(Action.objects.values_list("title", "status", "owner_id", "area")),
            ActionUpdate.objects.count(),
            CalendarFeed.objects.count(),
        )


@pytest.fixture
def plan(world: Any) -> Plan:
    return Plan(world)


def test_a_member_of_another_partnership_gets_404_everywhere_and_changes_nothing(
    world: Any, plan: Plan
) -> None:
    before = plan.state()
    dave = world.client(world.dave)
    wrong = []
    for name in READ_PAGES + PLANNER_PAGES + CHANGE_PAGES + FACILITATOR_PAGES:
        if (status := dave.get(plan.url(name)).status_code) != 404:
            wrong.append(f"GET {name}: {status}")
        if (status := dave.post(plan.url(name), CHANGES.get(name, {})).status_code) not in {
            404,
            405,  # the calendar feed is GET only
        }:
            wrong.append(f"POST {name}: {status}")
    assert wrong == []
    assert plan.state() == before


def test_a_viewer_reads_everything_and_gets_403_on_every_change(world: Any, plan: Plan) -> None:
    before = plan.state()
    carol = world.client(world.carol)
    for name in READ_PAGES:
        assert carol.get(plan.url(name)).status_code == 200, name
    wrong = []
    for name in PLANNER_PAGES + CHANGE_PAGES + FACILITATOR_PAGES:
        for action in (plan.council, plan.police, plan.unowned):
            if (status := carol.get(plan.url(name, action)).status_code) != 403:
                wrong.append(f"GET {name}: {status}")
            if (status := carol.post(plan.url(name, action), CHANGES[name]).status_code) != 403:
                wrong.append(f"POST {name}: {status}")
    assert wrong == []
    assert plan.state() == before
    page = carol.get(plan.url("action", plan.council)).content.decode()
    assert "Add an update" not in page and "Change the action" not in page


def test_a_partner_lead_changes_only_their_own_organisations_actions(
    world: Any, plan: Plan
) -> None:
    bob = world.client(world.bob)
    before = plan.state()
    for action in (plan.council, plan.unowned):
        for name in CHANGE_PAGES + FACILITATOR_PAGES:
            assert bob.get(plan.url(name, action)).status_code == 403, (name, action)
            assert bob.post(plan.url(name, action), CHANGES[name]).status_code == 403
        page = bob.get(plan.url("action", action)).content.decode()
        assert "Add an update" not in page
    assert plan.state() == before
    # Their own organisation's action: they update it and change it, but do not remove it.
    assert "Add an update" in bob.get(plan.url("action", plan.police)).content.decode()
    assert bob.post(plan.url("add-update", plan.police), CHANGES["add-update"]).status_code == 302
    edit = CHANGES["edit"] | {"status": "in_progress"}
    assert bob.post(plan.url("edit", plan.police), edit).status_code == 302
    plan.police.refresh_from_db()
    assert (plan.police.title, plan.police.status) == ("Taken over", "in_progress")
    assert plan.police.owner == world.org("Northshire Police")
    assert bob.post(plan.url("remove", plan.police)).status_code == 403


def test_a_partner_lead_cannot_give_their_action_to_another_organisation(
    world: Any, plan: Plan
) -> None:
    council = world.org("Northshire County Council")
    bob = world.client(world.bob)
    page = bob.get(plan.url("edit", plan.police)).content.decode()
    assert 'name="owner"' not in page and "Northshire Police" in page
    bob.post(plan.url("edit", plan.police), CHANGES["edit"] | {"owner": council.pk})
    plan.police.refresh_from_db()
    assert plan.police.owner == world.org("Northshire Police")


def test_a_partner_leads_new_actions_belong_to_their_organisation(world: Any, plan: Plan) -> None:
    bob = world.client(world.bob)
    council = world.org("Northshire County Council")
    response = bob.post(plan.url("add"), CHANGES["add"] | {"owner": council.pk})
    assert response.status_code == 302
    added = Action.objects.get(title="Intruder’s action")
    assert added.owner == world.org("Northshire Police")
    assert bob.post(plan.url("from-round"), {"area": "relationships"}).status_code == 302
    started = Action.objects.get(started_from=plan.round)
    assert started.owner == world.org("Northshire Police")


def test_a_facilitator_changes_every_action(world: Any, plan: Plan) -> None:
    alice = world.client(world.alice)
    for action in (plan.council, plan.police, plan.unowned):
        assert alice.post(plan.url("add-update", action), CHANGES["add-update"]).status_code == 302
    assert alice.post(plan.url("remove", plan.council)).status_code == 302
    assert not Action.objects.filter(pk=plan.council.pk).exists()


def test_an_action_of_another_partnership_is_not_found_through_ones_own(
    world: Any, plan: Plan
) -> None:
    southvale = services.create_action(world.other, area="commitment", title="Southvale’s")
    alice = world.client(world.alice)
    for name in ("action", "edit", "add-update", "remove"):
        page = reverse(f"actions:{name}", args=[world.partnership.pk, southvale.pk])
        assert alice.get(page).status_code == 404, name
        assert alice.post(page, CHANGES.get(name, {})).status_code == 404, name
    # Nor another partnership's round, to start actions from.
    page = reverse("actions:from-round", args=[world.partnership.pk, world.other_round.pk])
    assert alice.post(page, {"area": "relationships"}).status_code == 404
    assert Action.objects.get(pk=southvale.pk).title == "Southvale’s"
    assert southvale.updates.count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(world: Any, plan: Plan) -> None:
    anonymous = world.client(None)
    for name in READ_PAGES + PLANNER_PAGES + CHANGE_PAGES + FACILITATOR_PAGES:
        response = anonymous.get(plan.url(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    # A calendar app with a wrong secret link is not sent to a sign-in page.
    assert anonymous.get(plan.url("calendar"), {"token": "wrong"}).status_code == 404


def test_every_page_has_a_plain_title_and_one_heading(world: Any, plan: Plan) -> None:
    """Each HTML page of the plan, as a facilitator sees it (with every button)."""
    police = world.org("Northshire Police")
    meeting = meetings.create_meeting(world.partnership, "Board", datetime.date(2027, 4, 14))
    item = meetings.add_item(meeting, "Discharge", "what_matters", 30)
    pledge = commitments.create_commitment(world.partnership, police, "money", "Fund", Decimal(9))
    working.save_charter(world.partnership, "We share bad news early.", world.alice)
    talk = working.plan_conversation(
        world.partnership, police, world.org("Northshire County Council"), "mutual_low_trust"
    )
    p = world.partnership.pk
    pages = [
        plan.url(name)
        for name in READ_PAGES + PLANNER_PAGES + CHANGE_PAGES + FACILITATOR_PAGES
        if name != "calendar"
    ]
    pages += [
        reverse(f"actions:{name}", args=[p, *extra])
        for name, extra in [
            ("meetings", []),
            ("add-meeting", []),
            ("meeting", [meeting.pk]),
            ("edit-meeting", [meeting.pk]),
            ("remove-meeting", [meeting.pk]),
            ("add-item", [meeting.pk]),
            ("edit-item", [meeting.pk, item.pk]),
            ("remove-item", [meeting.pk, item.pk]),
            ("commitments", []),
            ("add-commitment", []),
            ("edit-commitment", [pledge.pk]),
            ("remove-commitment", [pledge.pk]),
            ("charter", []),
            ("edit-charter", []),
            ("conversations", []),
            ("conversation", [talk.pk]),
        ]
    ]
    alice = world.client(world.alice)
    for page in pages:
        response = alice.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title and "\n" not in title, (page, title)
        assert title.endswith(" – Joined Up"), (page, title)
        assert html.count("<h1") == 1, page
