"""The weekly update: opted-in members only, nothing when nothing changed, once a week,
one-step unsubscribing, and the same disclosure rules as the pages."""

from __future__ import annotations

import datetime
import re
from email.message import Message
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from joinedup.actions.models import Action, Meeting
from joinedup.surveys import services
from joinedup.surveys.models import Channel, Invitation, Response, Round, RoundStatus
from joinedup.updates import sending
from joinedup.updates.models import SentUpdate, Subscription
from joinedup.updates.tasks import queue_weekly_updates
from joinedup.worker import schedule

from .conftest import World
from .test_results import closed  # noqa: F401 (a fixture)

LONDON = ZoneInfo("Europe/London")


def _opt_in(world: World, *users: Any) -> None:
    for user in users:
        world.client(user).post("/weekly-update/", {"partnerships": [str(world.partnership.pk)]})


def _parts(message: Message) -> tuple[str, str]:
    """The plain-text and HTML parts of a sent update."""
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()  # type: ignore[union-attr]
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()  # type: ignore[union-attr]
    return text, html


def _something_due(world: World) -> Action:
    return Action.objects.create(
        partnership=world.partnership,
        area="ambition",
        title="Agree the shared data protocol",
        owner=world.org("Northshire Police"),
        due_date=timezone.localdate() + datetime.timedelta(days=3),
    )


def _unsubscribe_link(message: Message) -> str:
    header = "".join(str(message["List-Unsubscribe"]).split())  # unfolded
    found = re.fullmatch(r"<https?://[^/]+(/weekly-update/stop/[^>]+/)>", header)
    assert found, header
    return found.group(1)


# ----------------------------------------------------------------- preferences


def test_the_update_is_off_until_a_member_opts_in_per_partnership(world: World) -> None:
    page = world.client(world.alice).get("/partnerships/")
    assert 'href="/weekly-update/"' in page.content.decode()
    form = world.client(world.alice).get("/weekly-update/").content.decode()
    assert "Northshire" in form and "checked" not in form
    assert not Subscription.objects.exists()
    _opt_in(world, world.alice)
    assert list(Subscription.objects.values_list("user__email", "partnership__name")) == [
        ("alice@example.org", "Northshire")
    ]
    assert "checked" in world.client(world.alice).get("/weekly-update/").content.decode()
    # Dave cannot subscribe himself to a partnership he is not in by editing the form.
    world.client(world.dave).post(
        "/weekly-update/", {"partnerships": [str(world.partnership.pk), str(world.other.pk)]}
    )
    assert set(
        Subscription.objects.filter(user=world.dave).values_list("partnership", flat=True)
    ) == {world.other.pk}
    # Unticking every box turns it off again.
    world.client(world.alice).post("/weekly-update/", {})
    assert not Subscription.objects.filter(user=world.alice).exists()


# ----------------------------------------------------------------- sending


def test_a_week_with_changes_emails_opted_in_members_and_nobody_else(world: World, mailbox) -> None:
    _opt_in(world, world.alice, world.bob)  # carol and dave did not opt in
    _something_due(world)
    Meeting.objects.create(
        partnership=world.partnership,
        title="Board meeting",
        date=timezone.localdate() + datetime.timedelta(days=2),
    )
    assert queue_weekly_updates() == {"queued": 2}
    messages = mailbox.wait_for(2)
    assert sorted(str(m["To"]) for m in messages) == ["alice@example.org", "bob@example.org"]
    text, html = _parts(messages[0])
    assert "Agree the shared data protocol" in text and "Board meeting" in text
    assert "Agree the shared data protocol" in html and "<h2>Meetings coming up</h2>" in html
    assert "<img" not in html and 'lang="en-GB"' in html
    assert messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_week_without_changes_emails_nobody(world: World, mailbox) -> None:
    _opt_in(world, world.alice, world.bob, world.carol)
    # An action done, one due in a month, a meeting last week: nothing changed or is due.
    Action.objects.create(
        partnership=world.partnership, area="ambition", title="Done already",
        due_date=timezone.localdate(), status="done",
    )  # fmt: skip
    Action.objects.create(
        partnership=world.partnership, area="ambition", title="Later",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    Meeting.objects.create(
        partnership=world.partnership, title="Last week's meeting",
        date=timezone.localdate() - datetime.timedelta(days=5),
    )  # fmt: skip
    assert queue_weekly_updates() == {"queued": 3}
    assert mailbox.wait_for(1, timeout=1.0) == []
    assert not SentUpdate.objects.exists()


def test_running_the_weekly_job_twice_sends_once(world: World, mailbox, settings) -> None:
    settings.WEEKLY_UPDATE_DAY, settings.WEEKLY_UPDATE_HOUR = "mon", 8
    _opt_in(world, world.alice)
    _something_due(world)
    monday = datetime.datetime(2027, 3, 8, 9, 0, tzinfo=LONDON)
    assert "weekly_update" not in schedule.tick(monday - datetime.timedelta(hours=2))  # too early
    assert "weekly_update" not in schedule.tick(monday + datetime.timedelta(days=1))  # Tuesday
    assert "weekly_update" in schedule.tick(monday)
    assert "weekly_update" not in schedule.tick(monday + datetime.timedelta(minutes=1))
    # A worker restart that queues the job's tasks again: every claim is already taken.
    queue_weekly_updates()
    queue_weekly_updates()
    mailbox.wait_for(2, timeout=1.0)
    assert len(mailbox.to("alice@example.org")) == 1
    assert SentUpdate.objects.count() == 1


# ----------------------------------------------------------------- unsubscribing


def test_unsubscribing_through_the_link_takes_one_step_without_signing_in(
    world: World, mailbox
) -> None:
    _opt_in(world, world.alice)
    _something_due(world)
    queue_weekly_updates()
    (message,) = mailbox.wait_for(1)
    link = _unsubscribe_link(message)
    text, html = _parts(message)
    assert link in text and link in html
    anonymous = world.client(None)
    page = anonymous.get(link)
    assert page.status_code == 200 and "Stop the weekly update" in page.content.decode()
    assert Subscription.objects.filter(user=world.alice).exists()  # a GET changes nothing
    done = anonymous.post(link)  # the page's button: no sign-in, no CSRF token
    assert done.status_code == 200 and "Weekly update stopped" in done.content.decode()
    assert not Subscription.objects.filter(user=world.alice).exists()


def test_the_rfc_8058_one_click_post_unsubscribes(world: World, mailbox) -> None:
    from django.test import Client

    _opt_in(world, world.alice, world.bob)
    _something_due(world)
    queue_weekly_updates()
    mailbox.wait_for(2)
    (message,) = mailbox.to("bob@example.org")
    # What a mail client does: POST the header's URL with this body, no cookies, no token.
    client = Client(enforce_csrf_checks=True)
    answer = client.post(
        _unsubscribe_link(message),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert list(Subscription.objects.values_list("user__email", flat=True)) == ["alice@example.org"]


def test_a_forged_unsubscribe_token_changes_nothing(world: World) -> None:
    _opt_in(world, world.alice)
    token = sending.unsubscribe_token(world.alice.pk, world.partnership.pk)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    answer = world.client(None).post(f"/weekly-update/stop/{forged}/")
    assert answer.status_code == 404
    assert Subscription.objects.filter(user=world.alice).exists()


# ----------------------------------------------------------------- disclosure


def _closed_round_with_merged_organisation(world: World) -> Round:
    result = {
        "format": "joinedup.analysis/1",
        "respondents": 40,
        "partnership": {"position": "holding_pattern", "momentum": 55.0, "strain": 48.0},
        "units": [
            {"name": "Northshire County Council", "combined": False,
             "organisations": ["Northshire County Council"], "momentum": 61.0},
            {"name": "Combined smaller organisations", "combined": True,
             "organisations": ["Tiny Merged Charity"], "momentum": 12.0},
        ],
        "recommendations": [
            {"action": "clarify", "title": "Agree what you are for", "priority": 1,
             "why": ["Purpose scored low"], "steps": ["Hold a purpose workshop"]},
        ],
    }  # fmt: skip
    return Round.objects.create(
        partnership=world.partnership,
        label="Autumn 2026",
        status=RoundStatus.CLOSED,
        opened_at=timezone.now() - datetime.timedelta(days=30),
        closed_at=timezone.now() - datetime.timedelta(days=2),
        result=result,
    )


def test_the_update_never_shows_who_finished_or_a_merged_organisations_figure(
    world: World, mailbox
) -> None:
    _opt_in(world, world.alice, world.bob)
    _closed_round_with_merged_organisation(world)
    survey_round = services.open_round(services.create_round(world.partnership, "Spring 2027"))
    police = world.org("Northshire Police")
    Invitation.objects.create(
        round=survey_round, organisation=police, email="finished.person@example.org",
        token_hash="a" * 64, done=True,
    )  # fmt: skip
    Response.objects.create(round=survey_round, organisation=police, channel=Channel.INVITATION)
    queue_weekly_updates()
    mailbox.wait_for(2)
    for message in mailbox.messages:
        text, html = _parts(message)
        for part in (text, html):
            # The closed round is told by its position and next steps only.
            assert "In a holding pattern" in part and "Agree what you are for" in part
            # A merged organisation's name and figure are absent...
            closed = part.split("Autumn 2026")[1].split("See more")[0]  # noqa: F811
            # (the planted figure is 12: as a number of its own, not inside an
            # address such as /partnerships/1244/)
            assert "Tiny Merged Charity" not in part
            assert not re.search(r"(?<![\w/.])12(?![\w/.])", closed), closed
            # ... and so is any respondent: counts only.
            assert "finished.person" not in part
        assert "Northshire Police: 1" in text
    (bob,) = mailbox.to("bob@example.org")
    assert "fewer than 5 responses" in _parts(bob)[0]  # the partner lead's nudge
    (alice,) = mailbox.to("alice@example.org")
    assert "fewer than 5 responses" not in _parts(alice)[0]


# ----------------------------------------------------------------- preview


def test_a_facilitator_previews_this_weeks_update_for_each_role(world: World) -> None:
    _something_due(world)
    url = f"/partnerships/{world.partnership.pk}/weekly-update/"
    overview = world.client(world.alice).get(f"/partnerships/{world.partnership.pk}/")
    assert f'href="{url}"' in overview.content.decode()
    page = world.client(world.alice).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    for heading in ("As a facilitator", "As a partner lead of Northshire Police", "As a viewer"):
        assert heading in body
    assert body.count("Agree the shared data protocol") == 3
    assert world.client(world.bob).get(url).status_code == 403
    assert world.client(world.carol).get(url).status_code == 403
    assert world.client(world.dave).get(url).status_code == 404  # another partnership's facilitator
    assert world.client(None).get(url).status_code in (302, 404)


@pytest.mark.parametrize("day", ["mon", "sun"])
def test_the_weekly_job_runs_on_the_set_day(db, settings, day: str) -> None:
    settings.WEEKLY_UPDATE_DAY, settings.WEEKLY_UPDATE_HOUR = day, 8
    monday = datetime.datetime(2027, 3, 8, 8, 30, tzinfo=LONDON)
    sunday = monday + datetime.timedelta(days=6)
    on, off = (monday, sunday) if day == "mon" else (sunday, monday)
    assert "weekly_update" not in schedule.tick(off)
    assert "weekly_update" in schedule.tick(on)


# ----------------------------------------------------------------- days left


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (12, "12 days left (closes on {date})"),
        (1, "1 day left (closes on {date})"),
        (0, "Closes today"),
        (-3, "Was due to close on {date} and is still open"),
    ],
)
def test_an_open_rounds_progress_says_how_many_days_are_left(
    world: World, mailbox, open_round: Round, days: int, said: str
) -> None:
    closes_on = timezone.localdate() + datetime.timedelta(days=days)
    Round.objects.filter(pk=open_round.pk).update(closes_on=closes_on)
    _opt_in(world, world.carol)
    queue_weekly_updates()
    (message,) = mailbox.wait_for(1)
    expected = said.format(date=f"{closes_on.day} {closes_on:%B %Y}")
    text, html = _parts(message)
    assert f"Responses so far: 0. {expected}." in text
    assert f"Responses so far: <strong>0</strong>. {expected}." in html


def test_a_round_without_a_planned_date_gives_no_days_left(
    world: World, mailbox, open_round: Round
) -> None:
    _opt_in(world, world.carol)
    queue_weekly_updates()
    text, html = _parts(mailbox.wait_for(1)[0])
    assert "Responses so far: 0. By organisation:" in text
    assert "Responses so far: <strong>0</strong>.</p>" in html
    assert "left" not in text and "close" not in text.lower().split("see more")[0]


# ----------------------------------------------------------------- what matters, never discussed


def _unaddressed_section(part: str) -> str:
    found = re.search(
        r"(?s)issues that matter, never on an agenda(.*?)(<h2>|\n\n|See more)", part, re.I
    )
    return found.group(1) if found else ""


def test_issues_that_matter_but_never_reached_an_agenda_are_in_the_update(
    world: World,
    mailbox,
    closed: Round,  # noqa: F811
) -> None:
    from joinedup.actions.models import AgendaItem

    assert closed.result["text"]["TEXT_IMPORTANT"]["shown"]  # the fixture's answers are shown
    _opt_in(world, world.alice)
    _something_due(world)
    queue_weekly_updates()
    (message,) = mailbox.wait_for(1)
    for part in _parts(message):
        section = _unaddressed_section(part)
        assert "Hospital discharge delays (named by 16)" in section, part
    assert "in Spring 2027" in _parts(message)[0]
    # Once an agenda takes the issue up, it is no longer listed.
    meeting = Meeting.objects.create(
        partnership=world.partnership, title="Board", date=timezone.localdate()
    )
    AgendaItem.objects.create(
        meeting=meeting, title="Delays in hospital discharge", kind="what_matters", minutes=30
    )
    SentUpdate.objects.all().delete()  # a new week
    mailbox.messages.clear()
    queue_weekly_updates()
    (message,) = mailbox.wait_for(1)
    for part in _parts(message):
        assert not _unaddressed_section(part) and "Hospital discharge delays" not in part


def test_issues_never_discussed_do_not_make_an_update_on_their_own(
    world: World,
    mailbox,
    closed: Round,  # noqa: F811
) -> None:
    Round.objects.filter(pk=closed.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=10)  # not news this week
    )
    _opt_in(world, world.alice, world.carol)
    queue_weekly_updates()
    assert mailbox.wait_for(1, timeout=1.0) == []
    assert not SentUpdate.objects.exists()
