"""The action plan: adding and changing actions, their updates, and the plan page."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from joinedup.actions import services
from joinedup.actions.models import Action, ActionUpdate, Status
from joinedup.analysis.recommendations import content

TITLES = [
    content()["actions"][code]["title"] for code in ("conversations", "relationships", "commitment")
]


def _url(world: Any, name: str, *args: Any) -> str:
    return reverse(f"actions:{name}", args=[world.partnership.pk, *args])


def _action(world: Any, title: str, area: str = "relationships", **fields: Any) -> Action:
    return services.create_action(world.partnership, area=area, title=title, **fields)


FULL = {
    "area": "commitment",
    "title": "Share one budget line for discharge support",
    "description": "Pool £200k from health and care.",
    "owner": "",
    "lead": "Jo Patel, Director of Adult Care",
    "due_date": "31/3/2027",
    "scale_COMMIT": "on",
    "scale_CHANGE": "on",
    "measure_scale": "COMMIT",
    "measure_comparison": "at_least",
    "measure_target": "60",
    "started_from": "",
}


def test_the_plan_shows_actions_under_the_three_actions_in_order(world: Any) -> None:
    _action(world, "Agree ground rules for joint bids", "conversations")
    _action(world, "Pair up chief executives", "relationships")
    _action(world, "Second two analysts to the shared team", "commitment")
    page = world.client(world.carol).get(_url(world, "plan")).content.decode()
    positions = [page.index(title) for title in TITLES]
    assert positions == sorted(positions)
    assert positions[0] < page.index("Agree ground rules") < positions[1]
    assert positions[1] < page.index("Pair up chief executives") < positions[2]
    assert positions[2] < page.index("Second two analysts")
    assert "Add an action" not in page  # a viewer reads only


def test_a_facilitator_adds_an_action_with_an_owner_due_date_and_success_measure(
    world: Any,
) -> None:
    council = world.org("Northshire County Council")
    response = world.client(world.alice).post(_url(world, "add"), FULL | {"owner": council.pk})
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(world, "action", action.pk)
    assert (action.area, action.owner, action.lead) == (
        "commitment",
        council,
        "Jo Patel, Director of Adult Care",
    )
    assert action.due_date == datetime.date(2027, 3, 31)
    assert action.status == Status.NOT_STARTED
    assert action.scales == ["CHANGE", "COMMIT"]  # in the instrument's order
    assert (action.measure_scale, action.measure_comparison, action.measure_target) == (
        "COMMIT",
        "at_least",
        60,
    )
    assert action.created_by == world.alice
    page = world.client(world.carol).get(response["Location"]).content.decode()
    assert "Bringing the organisation to bear at least 60" in page
    assert "31 March 2027" in page
    assert "Northshire County Council" in page


def test_the_add_form_says_what_is_missing(world: Any) -> None:
    response = world.client(world.alice).post(_url(world, "add"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select which of the three actions it is part of" in page
    assert "Enter a title for the action" in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert not Action.objects.exists()


def test_a_success_measure_needs_its_scale_comparison_and_a_target_from_0_to_100(
    world: Any,
) -> None:
    alice = world.client(world.alice)
    cases = [
        ({"measure_scale": ""}, "Select the scale the target score is for"),
        ({"measure_target": ""}, "Enter the target score, from 0 to 100"),
        ({"measure_comparison": ""}, "Select whether the score should be at least or at most"),
        ({"measure_target": "101"}, "Enter the target score as a whole number from 0 to 100"),
        ({"measure_target": "high"}, "Enter the target score as a whole number from 0 to 100"),
        ({"due_date": "next Tuesday"}, "Enter the due date as day, month and year"),
    ]
    for change, message in cases:
        page = alice.post(_url(world, "add"), FULL | change).content.decode()
        assert message in page, change
    assert not Action.objects.exists()
    # No measure at all is fine.
    no_measure = {"measure_scale": "", "measure_comparison": "", "measure_target": ""}
    assert alice.post(_url(world, "add"), FULL | no_measure).status_code == 302
    assert Action.objects.get().has_measure is False


def test_changing_the_status_is_recorded_as_an_update(world: Any) -> None:
    action = _action(world, "Pair up chief executives")
    edit = FULL | {"area": "relationships", "title": "Pair up chief executives"}
    response = world.client(world.alice).post(
        _url(world, "edit", action.pk), edit | {"status": "in_progress"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    update = action.updates.get()
    assert (update.status_before, update.status_after, update.author) == (
        "not_started",
        "in_progress",
        world.alice,
    )
    page = world.client(world.bob).get(_url(world, "action", action.pk)).content.decode()
    assert "Status changed from not started to <strong>in progress</strong>" in page


def test_the_edit_form_starts_from_the_saved_action(world: Any) -> None:
    action = _action(
        world,
        "Pair up chief executives",
        due_date=datetime.date(2027, 6, 5),
        measure=services.Measure("TRUST", "at_least", 60),
    )
    page = world.client(world.alice).get(_url(world, "edit", action.pk)).content.decode()
    assert 'value="Pair up chief executives"' in page
    assert 'value="5/6/2027"' in page
    assert 'value="60"' in page
    assert '<option value="TRUST" selected>' in page


def test_the_edit_form_keeps_every_scale_the_action_is_meant_to_move(world: Any) -> None:
    action = _action(world, "Pair up chief executives", scales=["TRUST", "RELATE"])
    page = world.client(world.alice).get(_url(world, "edit", action.pk)).content.decode()
    for code in ("TRUST", "RELATE"):
        assert 'type="checkbox" value="on" checked' in page.split(f'id="id_scale_{code}"')[1][:80]
    assert 'type="radio" value="TRUST"' not in page


def test_an_update_is_dated_with_its_author_and_may_change_the_status(world: Any) -> None:
    action = _action(world, "Pair up chief executives")
    alice = world.client(world.alice)
    response = alice.post(
        _url(world, "add-update", action.pk),
        {"text": "First pairs met in May.", "status": "in_progress"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    update = ActionUpdate.objects.get()
    assert update.text == "First pairs met in May."
    assert update.created_at.date() == services.today()
    page = world.client(world.carol).get(_url(world, "action", action.pk)).content.decode()
    assert "First pairs met in May." in page
    assert "Alice Adams" in page
    # A note without a change of status is an update too.
    alice.post(_url(world, "add-update", action.pk), {"text": "All met.", "status": "in_progress"})
    assert action.updates.count() == 2
    assert not action.updates.get(text="All met.").changed_status


def test_an_empty_update_is_refused(world: Any) -> None:
    action = _action(world, "Pair up chief executives")
    page = (
        world.client(world.alice)
        .post(_url(world, "add-update", action.pk), {"text": " ", "status": "not_started"})
        .content.decode()
    )
    assert "Say what has happened, or choose a new status" in page
    assert not ActionUpdate.objects.exists()


def test_a_facilitator_removes_an_action_added_by_mistake(world: Any) -> None:
    action = _action(world, "Duplicate")
    services.add_update(action, world.alice, "Oops")
    alice = world.client(world.alice)
    assert (
        "Remove “Duplicate” from the plan?"
        in alice.get(_url(world, "remove", action.pk)).content.decode()
    )
    assert alice.post(_url(world, "remove", action.pk)).status_code == 302
    assert not Action.objects.exists() and not ActionUpdate.objects.exists()


def test_an_organisation_that_owns_actions_cannot_be_removed(world: Any) -> None:
    age_well = world.org("Age Well Northshire")
    _action(world, "Run a shared volunteer scheme", owner=age_well)
    page = reverse("partnerships:remove-organisation", args=[world.partnership.pk, age_well.pk])
    response = world.client(world.alice).post(page)
    assert response.status_code == 409
    assert "action" in response.content.decode()
    assert age_well.__class__.objects.filter(pk=age_well.pk).exists()


def test_an_overdue_action_is_marked_on_the_plan(world: Any) -> None:
    yesterday = services.today() - datetime.timedelta(days=1)
    _action(world, "Late one", due_date=yesterday)
    _action(world, "Late but done", due_date=yesterday, status=Status.DONE)
    page = world.client(world.carol).get(_url(world, "plan")).content.decode()
    late = page.split("Late one", 1)[1].split("</tr>", 1)[0]
    done = page.split("Late but done", 1)[1].split("</tr>", 1)[0]
    assert "Overdue" in late
    assert "Overdue" not in done
