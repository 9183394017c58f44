"""The action plan in a real browser, with axe-core on every page.

A facilitator starts an action from a closed round's recommendations, fills
in its owner and due date, adds an update, records a meeting and its agenda
and a commitment, writes the charter and signs it off for one organisation,
makes a calendar link and reads the plan's status; a partner lead then updates
their organisation's action on a phone-sized screen. axe-core must find no
serious or critical violation on any page along the way, error pages included.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from joinedup.accounts.models import User
from joinedup.actions.models import Action, AgendaItem, CalendarFeed, Meeting
from joinedup.instrument import load_instrument
from joinedup.partnerships import services as partnerships
from joinedup.surveys import services as surveys
from joinedup.surveys.models import Response

INSTRUMENT = load_instrument()
PASSWORD = "a long facilitator passphrase"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, settings: Any, mailbox: Any) -> Any:
    """Riverside, with a closed round whose every scale is weak (everyone answered 2)."""
    settings.SITE_URL = live_server.url
    alice = User.objects.create_user("alice@example.org", PASSWORD, name="Alice Adams")
    partnership = partnerships.create_partnership(alice, "Riverside Together")
    council = partnerships.add_organisation(partnership, "Riverside Council", "local_government")
    police = partnerships.add_organisation(partnership, "Riverside Police", "police")
    User.objects.create_user("bob@example.org", PASSWORD, name="Bob Brown")
    partnerships.add_member(partnership, "bob@example.org", "partner_lead", police)
    survey_round = surveys.open_round(surveys.create_round(partnership, "Spring 2027"))
    for organisation in (council, police):
        for _ in range(5):
            Response.objects.create(
                round=survey_round,
                organisation=organisation,
                role="manager",
                answers=dict.fromkeys(INSTRUMENT.item_codes, 2),
            )
    surveys.close_round(survey_round)
    live_server.partnership = partnership
    return live_server


def _visit(page: Any, axe: Any, url: str | None = None) -> None:
    if url:
        page.goto(url)
    page.wait_for_load_state("load")
    axe.check(page)


def _after(page: Any, axe: Any, action: Any) -> None:
    with page.expect_navigation():
        action()
    _visit(page, axe)


def _submit(page: Any, axe: Any, name: str) -> None:
    _after(page, axe, page.get_by_role("button", name=name).first.click)


def _follow(page: Any, axe: Any, name: str) -> None:
    _after(page, axe, page.get_by_role("link", name=name).first.click)


def _sign_in(browser: Any, axe: Any, site: Any, email: str, **context: Any) -> Any:
    page = browser.new_context(**context).new_page()
    _visit(page, axe, f"{site.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    _submit(page, axe, "Sign in")
    return page


def test_a_facilitator_plans_tracks_and_reviews_actions_and_a_partner_lead_updates_theirs(
    site: Any, browser: Any, axe: Any
) -> None:
    plan = f"{site.url}/partnerships/{site.partnership.pk}/plan/"
    page = _sign_in(
        browser, axe, site, "alice@example.org", viewport={"width": 1280, "height": 900}
    )

    # An empty form shows its errors accessibly.
    _visit(page, axe, plan)
    _follow(page, axe, "Add an action")
    _submit(page, axe, "Add the action")
    assert "There is a problem" in page.content()

    # Start an action from a recommendation, then give it an owner and a due date.
    _visit(page, axe, plan)
    _follow(page, axe, "Start actions from the Spring 2027 recommendations")
    _submit(page, axe, re.compile("^Start this action"))
    assert "Change the action" in page.content()
    page.get_by_label("Owner organisation (optional)").select_option(label="Riverside Police")
    page.get_by_label("Named lead (optional)").fill("Supt Kay Marsh")
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    page.get_by_label("Due date (optional)").fill(
        f"{last_week.day}/{last_week.month}/{last_week.year}"
    )
    _submit(page, axe, "Save the action")
    action = Action.objects.get()
    assert action.owner is not None and action.owner.name == "Riverside Police"
    assert "Overdue" in page.content()

    # An update that starts it.
    _follow(page, axe, "Add an update")
    page.get_by_label("What has happened?").fill("Kick-off meeting held.")
    page.get_by_label("In progress", exact=True).check()
    _submit(page, axe, "Add the update")
    assert "Kick-off meeting held." in page.content()

    # A meeting and its agenda.
    _visit(page, axe, plan)
    _follow(page, axe, "Meetings: time spent on what matters")
    _follow(page, axe, "Add a meeting")
    page.get_by_label("Meeting", exact=True).fill("Partnership board")
    page.get_by_label("Date", exact=True).fill("14/4/2027")
    page.get_by_label("Start time (optional)").fill("14:00")
    _submit(page, axe, "Add the meeting")
    for title, kind, minutes in (
        ("Discharge delays", "What matters", "60"),
        ("Logo", "Side show", "20"),
    ):
        _follow(page, axe, "Add an agenda item")
        page.get_by_label("Agenda item", exact=True).fill(title)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Minutes spent on it").fill(minutes)
        _submit(page, axe, "Add the item")
    assert "75% of the agenda’s 80 minutes went on what matters." in page.content()
    assert Meeting.objects.count() == 1 and AgendaItem.objects.count() == 2
    _follow(page, axe, "Back to the meetings")

    # A commitment, after a mistake in the amount.
    _visit(page, axe, plan)
    _follow(page, axe, "Commitments: pledged and delivered")
    _follow(page, axe, "Record a commitment")
    page.get_by_label("Organisation", exact=True).select_option(label="Riverside Council")
    page.get_by_label("Money", exact=True).check()
    page.get_by_label("What was pledged").fill("Prevention fund")
    page.get_by_label("Amount pledged").fill("lots")
    _submit(page, axe, "Save the commitment")
    assert "There is a problem" in page.content()
    page.get_by_label("Amount pledged").fill("£200,000")
    page.get_by_label("Amount delivered so far").fill("50000")
    _submit(page, axe, "Save the commitment")
    assert "£200,000" in page.content()

    # The charter, signed off for one organisation; the conversations page.
    _visit(page, axe, plan)
    _follow(page, axe, "How we work together: the charter and conversations between partners")
    _follow(page, axe, "Write the charter")
    _submit(page, axe, "Save the charter")
    assert "There is a problem" in page.content()
    page.get_by_label("How we work together").fill("We share bad news early.")
    _submit(page, axe, "Save the charter")
    _submit(page, axe, "Sign off for Riverside Council")
    assert "Signed off by 1 of 2 organisations." in page.content()
    _follow(page, axe, "Conversations to plan between partners whose relationship is flagged")

    # A calendar link, and the plan's status.
    _visit(page, axe, plan)
    _follow(page, axe, "Add the due dates and meetings to your calendar")
    _submit(page, axe, "Make my calendar link")
    assert "/plan/calendar.ics?token=" in page.content()
    assert CalendarFeed.objects.count() == 1
    _visit(page, axe, plan)
    _follow(page, axe, "Status of the plan: progress, overdue actions and measures met")
    assert "Overdue actions" in page.content()

    # The partner lead updates their organisation's action from a phone.
    small = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
    phone = _sign_in(browser, axe, site, "bob@example.org", **small)
    _visit(phone, axe, plan)
    _follow(phone, axe, action.title)
    _follow(phone, axe, "Add an update")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    phone.get_by_label("What has happened?").fill("Analysts seconded.")
    phone.get_by_label("Done", exact=True).check()
    _submit(phone, axe, "Add the update")
    action.refresh_from_db()
    assert action.status == "done"

    assert axe.violations == [], "\n".join(axe.violations)
    assert len(axe.pages) >= 35
