"""The whole journey in a real browser, with axe-core on every page.

A facilitator signs in, sets up a partnership and its organisations, opens a
round and invites two people (the invitations go to a real SMTP server); one
answers on a phone-sized screen by tapping, the other with a keyboard alone;
the facilitator closes the round. axe-core must find no serious or critical
violation on any page along the way.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from joinedup.accounts.models import User
from joinedup.instrument import load_instrument
from joinedup.surveys.models import Invitation, Response, Round

INSTRUMENT = load_instrument()
PASSWORD = "a long facilitator passphrase"
LINK = re.compile(r"https?://[^\s]+/s/[A-Za-z0-9_-]{43}/")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server: Any, settings: Any, mailbox: Any) -> Any:
    settings.SITE_URL = live_server.url
    User.objects.create_user(
        "alice@example.org", PASSWORD, name="Alice Adams", can_create_partnerships=True
    )
    return live_server


def _visit(page: Any, axe: Any, url: str | None = None) -> None:
    if url:
        page.goto(url)
    page.wait_for_load_state("load")
    axe.check(page)


def _after(page: Any, axe: Any, action: Any) -> None:
    """Do something that loads a new page, wait for it, then check it with axe."""
    with page.expect_navigation():
        action()
    _visit(page, axe)


def _submit(page: Any, axe: Any, name: str) -> None:
    _after(page, axe, page.get_by_role("button", name=name).click)


def _follow(page: Any, axe: Any, name: str) -> None:
    _after(page, axe, page.get_by_role("link", name=name).click)


def test_facilitator_invites_two_people_who_answer_and_the_round_closes(
    site: Any, browser: Any, axe: Any, mailbox: Any
) -> None:
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900})
    page = facilitator.new_page()

    # Sign in.
    _visit(page, axe, f"{site.url}/sign-in/")
    page.get_by_label("Email address").fill("alice@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    _submit(page, axe, "Sign in")

    # Set up the partnership and its organisations.
    _follow(page, axe, "Set up a new partnership")
    page.get_by_label("Name of the partnership").fill("Riverside Together")
    _after(page, axe, page.get_by_role("button", name=re.compile("partnership", re.I)).click)
    assert "Riverside Together" in page.content()
    overview = page.url
    for name, sector in (
        ("Riverside Council", "Local government"),
        ("Riverside NHS Trust", "Health and care"),
        ("Riverside Police", "Police"),
    ):
        _visit(page, axe, overview + "organisations/add/")
        page.get_by_label("Name of the organisation").fill(name)
        page.get_by_label(sector, exact=True).check()
        _after(page, axe, page.get_by_role("button", name=re.compile("add|save", re.I)).first.click)
    _visit(page, axe, overview + "organisations/")
    assert "Riverside Police" in page.content()

    # A round: create, open, invite.
    _visit(page, axe, overview)
    _follow(page, axe, "New survey round")
    page.get_by_label("Name of the round").fill("Spring 2027")
    _submit(page, axe, "Create the round")
    _submit(page, axe, "Open the round")
    _follow(page, axe, "Invite people")
    page.get_by_label("People to invite").fill(
        "phone@example.org, Riverside Council\nkeys@example.org, Riverside Police"
    )
    _submit(page, axe, "Send invitations")
    assert "2 invitations are being sent" in page.content()

    messages = mailbox.wait_for(2)
    links = {m["To"]: LINK.search(mailbox.body(m)).group(0) for m in messages}

    _answer_on_a_phone(browser, axe, links["phone@example.org"])
    _answer_with_the_keyboard(browser, axe, links["keys@example.org"])
    assert Response.objects.count() == 2
    assert Invitation.objects.filter(done=True).count() == 2

    # Close the round, from the round's page (sending showed its progress page).
    _visit(page, axe, page.url.removesuffix("progress/"))
    _follow(page, axe, "Close the round")
    _submit(page, axe, "Close the round")
    assert "The round is closed" in page.content()
    assert Round.objects.get().status == "closed"
    # The progress page leads back to the round, which now has its result:
    # two respondents are fewer than the minimum group size, so no figures at all.
    _visit(page, axe, page.url.removesuffix("progress/"))
    assert "There are no results" in page.content()

    assert axe.violations == [], "\n".join(axe.violations)
    assert len(axe.pages) >= 30


def _answer_on_a_phone(browser: Any, axe: Any, link: str) -> None:
    phone = browser.new_context(
        viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    _visit(page, axe, link)
    # Nothing runs off the side of a 320-pixel screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    _submit(page, axe, "Start now")
    page.get_by_label("Manager", exact=True).check()
    _submit(page, axe, "Save and continue")
    for _ in INSTRUMENT.scales:
        for radios in page.locator(".govuk-radios").all():
            radios.get_by_label("Agree", exact=True).check()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        _submit(page, axe, "Save and continue")
    page.get_by_label("Riverside Police").check()
    _submit(page, axe, "Save and continue")
    page.get_by_label("Monthly").check()
    for radios in page.locator(".govuk-radios").all()[1:]:
        radios.get_by_label("A fair amount").check()
    _submit(page, axe, "Save and continue")
    page.get_by_label(INSTRUMENT.text_questions[0].text).fill("Hospital discharge delays")
    _submit(page, axe, "Save and continue")
    assert "Check your answers" in page.content()
    _submit(page, axe, "Send my answers")
    assert "Answers sent" in page.content()
    phone.close()


def _tab_to(page: Any, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    target = page.locator(selector).first.element_handle()
    for _ in range(limit):
        if page.evaluate("el => document.activeElement === el", target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} with the Tab key")


def _choose_with_keyboard(page: Any, name: str, steps_down: int) -> None:
    """Tab into a radio group, select its first option, then arrow down to another."""
    _tab_to(page, f"input[name='{name}']")
    page.keyboard.press("Space")
    for _ in range(steps_down):
        page.keyboard.press("ArrowDown")


def _continue_with_keyboard(page: Any, axe: Any) -> None:
    _tab_to(page, "button[value='continue']")
    _after(page, axe, lambda: page.keyboard.press("Enter"))


def _answer_with_the_keyboard(browser: Any, axe: Any, link: str) -> None:
    desk = browser.new_context(viewport={"width": 1024, "height": 768})
    page = desk.new_page()
    _visit(page, axe, link)
    _tab_to(page, "button.govuk-button--start")
    _after(page, axe, lambda: page.keyboard.press("Enter"))
    _choose_with_keyboard(page, "role", 3)  # executive, senior manager, manager, practitioner
    _continue_with_keyboard(page, axe)
    for scale in INSTRUMENT.scales:
        for code in scale.items:
            _choose_with_keyboard(page, code, 1)  # Disagree
        _continue_with_keyboard(page, axe)
    _continue_with_keyboard(page, axe)  # works with no partner organisation
    _tab_to(page, "textarea")
    page.keyboard.type("Side shows take too long")
    _continue_with_keyboard(page, axe)
    _tab_to(page, "form button.govuk-button")
    _after(page, axe, lambda: page.keyboard.press("Enter"))
    assert "Answers sent" in page.content()
    stored = Response.objects.get(role="practitioner")
    assert stored.answers[INSTRUMENT.item_codes[0]] == 2
    desk.close()
